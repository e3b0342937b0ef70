package io.vmconfig.core.repo;

import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.vm.VmRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A VM's revisions across the visible sets that verify, oldest first, each with the first set that holds it. Files
 * under {@code sets/} that do not verify are left out (verify and prune name them, repository-format.md §9).
 */
public final class History {
    private History() {}

    /** One revision of a VM and the first set it appears in. */
    public record Item(SetId firstSet, Entry entry) {}

    public static List<Item> of(RepoReader reader, VmRef vm) {
        List<Item> items = new ArrayList<>();
        for (SetId id : reader.sets()) {
            Optional<Entry> e;
            try {
                e = reader.entry(reader.manifest(id), vm);
            } catch (VmConfigException ex) {
                if (ex.kind() != VmConfigException.Kind.INTEGRITY) {
                    throw ex;
                }
                continue; // a file in sets/ that does not verify is no part of the history; verify names it
            }
            if (e.isPresent()
                    && (items.isEmpty() || !items.get(items.size() - 1).entry().equals(e.get()))) {
                items.add(new Item(id, e.get()));
            }
        }
        return items;
    }

    /** The VM's revisions; CONFIG naming the VM when no visible set holds it. */
    public static List<Item> required(RepoReader reader, VmRef vm) {
        List<Item> items = of(reader, vm);
        if (items.isEmpty()) {
            throw VmConfigException.config("VM " + vm + " is in no set of this repository (vmconfig sets lists them)");
        }
        return items;
    }

    /** The entry of revision {@code revision}, or the newest when {@code revision} is null. */
    public static Entry revision(RepoReader reader, VmRef vm, Long revision) {
        List<Item> items = required(reader, vm);
        if (revision == null) {
            return items.get(items.size() - 1).entry();
        }
        return items.stream()
                .map(Item::entry)
                .filter(e -> e.revision() == revision)
                .findFirst()
                .orElseThrow(() -> VmConfigException.config("VM " + vm + " has no revision " + revision));
    }
}
