package io.vmconfig.core.repo;

import io.vmconfig.core.VmConfigException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks every set signature, sub-manifest hash and bundle hash; lists each problem by object name. */
public final class RepoVerifier {
    private final RepoReader reader;

    public RepoVerifier(RepoReader reader) {
        this.reader = reader;
    }

    /** What {@link #verify} found. */
    public record Report(int sets, int objects, List<Problem> problems) {
        public Report {
            problems = List.copyOf(problems);
        }

        public boolean ok() {
            return problems.isEmpty();
        }
    }

    public Report verify(Progress progress) {
        List<Problem> problems = new ArrayList<>();
        Set<String> checked = new HashSet<>();
        Set<String> identities = new HashSet<>();
        List<SetId> sets = reader.sets();
        reader.strays().forEach(n -> problems.add(new Problem(n, "is not a set manifest name (sets/<set-id>.json)")));
        int done = 0;
        for (SetId id : sets) {
            progress.update("sets", ++done, sets.size());
            LoadedSet set;
            try {
                set = reader.load(id);
            } catch (VmConfigException e) {
                rethrowIfUnavailable(e);
                problems.add(new Problem(ObjectNames.set(id), e.getMessage()));
                continue;
            }
            set.manifests().forEach(d -> checked.add(ObjectNames.manifest(d)));
            for (Problem p : set.problems()) {
                if (problems.stream().noneMatch(q -> q.object().equals(p.object()))) {
                    problems.add(p);
                }
            }
            for (Entry e : set.entries()) {
                checked.add(e.objectName());
                // each (bundle, VM identity) pair once: one bundle named for two VMs is checked for both
                if (identities.add(e.objectName() + " " + e.key() + " " + e.uid() + " " + e.generation())) {
                    check(e).filter(p -> problems.stream().noneMatch(q -> q.equals(p)))
                            .ifPresent(problems::add);
                }
            }
        }
        return new Report(sets.size(), checked.size(), problems);
    }

    private java.util.Optional<Problem> check(Entry e) {
        try {
            if (e.encrypted() && !reader.canDecrypt()) {
                reader.storedBundle(e); // without the key: size and sha256 of the ciphertext only
            } else {
                reader.bundle(e);
            }
            return java.util.Optional.empty();
        } catch (VmConfigException ex) {
            rethrowIfUnavailable(ex);
            return java.util.Optional.of(new Problem(e.objectName(), ex.getMessage()));
        }
    }

    /** A store that cannot be reached says nothing about the repository: verify stops instead of reporting. */
    private static void rethrowIfUnavailable(VmConfigException e) {
        if (e.kind() == VmConfigException.Kind.TRANSIENT || e.kind() == VmConfigException.Kind.IO) {
            throw e;
        }
    }
}
