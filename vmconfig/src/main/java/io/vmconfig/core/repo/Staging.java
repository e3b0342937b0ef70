package io.vmconfig.core.repo;

import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.vm.VmRef;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * The unsealed part of a run written one VM at a time by a stateless writer (the Velero plugin): bundles go where
 * every bundle goes, each VM's entry under {@code staging/<run>/vms/NAMESPACE/NAME.json}, a VM that could not be
 * written under {@code staging/<run>/failed/…}. Nothing here is visible to readers until {@link RepoWriter#seal}
 * writes the signed set (repository-format.md §11). Writes no signature: staging needs no signing key.
 */
public final class Staging {
    public static final String PREFIX = "staging/";
    private static final Pattern RUN = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?");
    private final BlobStore store;
    private final Optional<RepositoryKey> key;
    private final Clock clock;
    private final RandomGenerator random;
    /** The latest set when this writer first staged for {@link #parentRun}: read once per run (see {@link #parent}). */
    private Parent parent;

    private String parentRun;

    public Staging(BlobStore store, Optional<RepositoryKey> key, Clock clock, RandomGenerator random) {
        this.store = store;
        this.key = key;
        this.clock = clock;
        this.random = random;
    }

    /**
     * Stores the VM's bundle unless the latest set names it (the writer's parent, §9: never dedup against a
     * listing), then its staging entry. Repeating it for the same VM and run rewrites the same entry.
     */
    public StagedVm stage(String run, VmSnapshot vm) {
        requireRun(run);
        Instant now = clock.instant();
        BundleIdentity.requireVm("the bundle", vm.key(), vm.uid(), vm.generation(), vm.vm());
        byte[] plain = vm.bundleBytes();
        Parent p = parent(run);
        StoredBundle b = StoredBundle.store(
                vm,
                plain,
                StoredBundle.idOf(vm, plain, key, p.entries().get(vm.key())),
                key,
                Dictionaries.of(p),
                p.bundles()::get,
                Optional::empty,
                StoredBundle.NO_DELTAS,
                // each staging is a run of its own as far as prune is concerned (§5.6): a salt per VM staged
                Salt.draw(random),
                store::put);
        StagedVm staged = new StagedVm(
                vm.key(),
                vm.uid(),
                vm.generation(),
                b.id(),
                b.sha256(),
                b.size(),
                b.encrypted(),
                b.compressed(),
                now,
                b.base(),
                b.member());
        store.put(entryName(run, "vms", vm.key()), staged.toBytes());
        return staged;
    }

    /**
     * The writer's parent for {@code run}, read on the run's first VM and kept for the run: sets appear only when the
     * sealer seals a finished backup, so re-reading it per VM cost a set load per Execute for nothing. A new run reads
     * it again, whether or not the process is new (Velero starts a plugin process per backup, but a process that
     * lives on must still dedup the next backup against the set the last one became: every frame is salted, §5.6, so
     * a bundle the parent does not name is uploaded under a new name). A parent that became older during the run
     * only costs uploads, never a missing bundle: prune keeps unreferenced objects for a grace period longer than any
     * run (§9).
     */
    private synchronized Parent parent(String run) {
        if (parent == null || !run.equals(parentRun)) {
            parentRun = run;
            RootObject root = RepoReader.readRoot(store);
            root.requireWritable("cannot stage a VM");
            // dedup needs only the parent's names; the sealer verifies its own parent against its key and checks
            // that every reused bundle exists before a set names it
            RepoReader reader = new RepoReader(
                    store, root.signers().isEmpty() ? Trust.insecure() : Trust.keys(root.signers()), key);
            reader.root();
            parent = Parent.latest(reader, new ArrayList<>());
        }
        return parent;
    }

    /** Records that {@code vm} could not be written in {@code run}, so the sealer leaves it out by name. */
    public void fail(String run, VmRef vm, String reason) {
        requireRun(run);
        store.delete(entryName(run, "vms", vm));
        store.put(entryName(run, "failed", vm), reason.getBytes(StandardCharsets.UTF_8));
    }

    /** The runs with staging objects, sorted. */
    public List<String> runs() {
        TreeSet<String> runs = new TreeSet<>();
        for (String name : store.list(PREFIX)) {
            int slash = name.indexOf('/', PREFIX.length());
            if (slash > 0) {
                runs.add(name.substring(PREFIX.length(), slash));
            }
        }
        return List.copyOf(runs);
    }

    /** The VMs staged in {@code run}, without those recorded as failed. */
    public List<StagedVm> staged(String run) {
        Map<VmRef, String> failed = failed(run);
        List<StagedVm> out = new ArrayList<>();
        for (String name : store.list(PREFIX + run + "/vms/")) {
            store.get(name)
                    .map(b -> StagedVm.parse(b, name))
                    .filter(s -> !failed.containsKey(s.key()))
                    .ifPresent(out::add);
        }
        return out;
    }

    /** The VMs recorded as failed in {@code run}, with their reasons. */
    public Map<VmRef, String> failed(String run) {
        Map<VmRef, String> out = new LinkedHashMap<>();
        String prefix = PREFIX + run + "/failed/";
        for (String name : store.list(prefix)) {
            String[] parts = name.substring(prefix.length(), name.length() - ".json".length())
                    .split("/", 2);
            store.get(name)
                    .ifPresent(b -> out.put(new VmRef(parts[0], parts[1]), new String(b, StandardCharsets.UTF_8)));
        }
        return out;
    }

    /** Deletes every staging object of {@code run}; its bundles stay until prune finds them unreferenced (§9). */
    public void discard(String run) {
        store.list(PREFIX + run + "/").forEach(store::delete);
    }

    private static String entryName(String run, String kind, VmRef vm) {
        return PREFIX + run + "/" + kind + "/" + vm.namespace() + "/" + vm.name() + ".json";
    }

    private static void requireRun(String run) {
        if (run == null || !RUN.matcher(run).matches()) {
            throw VmConfigException.invalid(
                    "run name '" + run + "' is not a DNS-1123 name, as Velero backup names are");
        }
    }
}
