package io.vmconfig.core.velero;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.repo.BackupResult;
import io.vmconfig.core.repo.RepoReader;
import io.vmconfig.core.repo.RepoWriter;
import io.vmconfig.core.repo.RootObject;
import io.vmconfig.core.repo.SetId;
import io.vmconfig.core.repo.StagedVm;
import io.vmconfig.core.repo.Staging;
import io.vmconfig.core.vm.VmRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Seals the staged runs of Velero backups (repository-format.md §11): one pass looks at every run under
 * {@code staging/}, reads its Backup's phase, and seals (Completed, PartiallyFailed), discards (Failed,
 * FailedValidation, Backup gone, or older than maxRunSeconds) or leaves it. All state is in the repository and the
 * Backup objects, so a pass can be repeated, interrupted and restarted: a run whose set already exists is only
 * cleaned up.
 */
public final class Sealer {
    private final RepoReader reader;
    private final Staging staging;
    private final RepoWriter writer;
    private final Function<String, Optional<JsonNode>> backups;
    private final Function<JsonNode, List<VmRef>> covered;
    private final Clock clock;

    /**
     * {@code backups}: the Velero Backup of that name, or empty when it does not exist; {@code covered}: the VMs a
     * Backup selects now (to name those vm-backup did not write when the store could not even take a failure
     * record).
     */
    public Sealer(
            RepoReader reader,
            Staging staging,
            RepoWriter writer,
            Function<String, Optional<JsonNode>> backups,
            Function<JsonNode, List<VmRef>> covered,
            Clock clock) {
        this.reader = reader;
        this.staging = staging;
        this.writer = writer;
        this.backups = backups;
        this.covered = covered;
        this.clock = clock;
    }

    public List<SealOutcome> sealOnce(String sourceCluster) {
        List<SealOutcome> out = new ArrayList<>();
        for (String run : staging.runs()) {
            out.add(seal(run, sourceCluster));
        }
        return out;
    }

    SealOutcome seal(String run, String sourceCluster) {
        List<StagedVm> staged = staging.staged(run);
        Map<VmRef, String> failed = new TreeMap<>(staging.failed(run));
        Optional<JsonNode> backup = backups.apply(run);
        String phase =
                backup.map(b -> b.path("status").path("phase").asText("")).orElse(null);
        if (phase == null || phase.equals("Failed") || phase.equals("FailedValidation")) {
            staging.discard(run);
            return new SealOutcome(
                    run,
                    SealOutcome.Action.DISCARDED,
                    null,
                    failed,
                    phase == null ? "Backup does not exist" : "Backup " + phase);
        }
        if (!phase.equals("Completed") && !phase.equals("PartiallyFailed")) {
            Optional<Instant> first = staged.stream().map(StagedVm::stagedAt).min(Instant::compareTo);
            RootObject root = reader.root();
            if (first.isPresent()
                    && Duration.between(first.get(), clock.instant()).toSeconds() >= root.maxRunSeconds()) {
                staging.discard(run);
                return new SealOutcome(
                        run,
                        SealOutcome.Action.DISCARDED,
                        null,
                        failed,
                        "Backup still " + (phase.isEmpty() ? "New" : phase) + " after maxRunSeconds ("
                                + root.maxRunSeconds() + "s)");
            }
            return new SealOutcome(run, SealOutcome.Action.WAITING, null, failed, "Backup " + phase);
        }
        if (phase.equals("PartiallyFailed")) {
            Set<VmRef> written = staged.stream().map(StagedVm::key).collect(Collectors.toSet());
            covered.apply(backup.get()).stream()
                    .filter(vm -> !written.contains(vm))
                    .forEach(vm -> failed.putIfAbsent(
                            vm,
                            "not written by vm-backup: its item failed in Velero" + " (velero backup describe " + run
                                    + " --details)"));
        }
        Optional<SetId> existing = staged.isEmpty() ? Optional.empty() : sealedBefore(run, staged);
        if (existing.isPresent()) {
            staging.discard(run);
            return new SealOutcome(run, SealOutcome.Action.ALREADY_SEALED, existing.get(), failed, "Backup " + phase);
        }
        if (staged.isEmpty()) {
            staging.discard(run);
            return new SealOutcome(
                    run,
                    SealOutcome.Action.DISCARDED,
                    null,
                    failed,
                    "Backup " + phase + " but no VM of it was written");
        }
        BackupResult r;
        try {
            r = writer.seal(staged, sourceCluster, run);
        } catch (VmConfigException e) {
            if (e.kind() != VmConfigException.Kind.INTEGRITY) {
                throw e;
            }
            return new SealOutcome(run, SealOutcome.Action.REFUSED, null, failed, e.getMessage());
        }
        staging.discard(run);
        return new SealOutcome(
                run,
                SealOutcome.Action.SEALED,
                r.setId(),
                failed,
                "Backup " + phase
                        + (r.refusedOlder().isEmpty()
                                ? ""
                                : "; kept the recorded revision of " + r.refusedOlder() + " (staged one is older)"));
    }

    /** A set of this run written since its first VM was staged: a pass that died before cleaning up. */
    private Optional<SetId> sealedBefore(String run, List<StagedVm> staged) {
        Instant first =
                staged.stream().map(StagedVm::stagedAt).min(Instant::compareTo).orElseThrow();
        List<SetId> sets = new ArrayList<>(reader.sets());
        for (int i = sets.size() - 1; i >= 0 && !sets.get(i).time().isBefore(first.minusSeconds(1)); i--) {
            try {
                if (run.equals(reader.manifest(sets.get(i)).run())) {
                    return Optional.of(sets.get(i));
                }
            } catch (VmConfigException e) {
                if (e.kind() != VmConfigException.Kind.INTEGRITY) {
                    throw e;
                }
            }
        }
        return Optional.empty();
    }
}
