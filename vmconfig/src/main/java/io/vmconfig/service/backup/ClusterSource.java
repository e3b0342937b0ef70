package io.vmconfig.service.backup;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.adapters.kube.KubeCluster;
import io.vmconfig.adapters.kube.KubeErrors;
import io.vmconfig.adapters.kube.KubeKind;
import io.vmconfig.adapters.kube.SourceReader;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.batch.ExportBatch;
import io.vmconfig.core.batch.SourcedObject;
import io.vmconfig.core.batch.VmResult;
import io.vmconfig.core.vm.ClaimRecord;
import io.vmconfig.core.vm.ClaimSource;
import io.vmconfig.core.vm.ConfigOnlyFilter;
import io.vmconfig.core.vm.ConfigOnlyVm;
import io.vmconfig.core.vm.DependencyRef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * {@code backup} without {@code --from}: the production cluster read for a backup, read-only and with list calls
 * only, exported a page of VMs at a time (docs/architecture.md, "Memory"). Each page of VMs ({@code limit}
 * {@code pageSize}, then {@code continue}) is read, the objects its VMs need (their PVCs, for the claim records, and
 * their carried dependencies) are read one by one by name ({@link KubeCluster#find}, a list call the backup's Role
 * allows), each at most once per page, and the page goes through the same export as files ({@link ExportBatch#run}),
 * so the results are what {@code backup --from} gives for the same objects. Memory is one page of VMs with their
 * objects, never a namespace's Secrets or ConfigMaps. Namespaces whose Secrets the caller may not list are recorded
 * (the backup's rule for them is {@code core.access.UnreadableSecrets}).
 *
 * <p>The writer may walk the VMs more than once (a first backup trains its dictionaries: three walks). A cluster
 * whose VMs fit in one page is read once and its page kept; otherwise each walk reads the cluster again, and a later
 * walk hands out only the VMs of the first (a VM created meanwhile waits for the
 * next backup). A VM of the first walk gone in a later one fails the run before anything is signed: the samples
 * and the set would not agree.
 */
public final class ClusterSource {
    private final KubeCluster source;
    private final String namespace;
    private final String labelSelector;
    private final int pageSize;
    private final Set<String> unreadableSecrets = new TreeSet<>();
    /** "namespace/name" of every VM of the first walk; null before it. */
    private Set<String> firstWalk;
    /** The objects of a first walk that was one page (a small cluster): later walks export them again, unread. */
    private List<SourcedObject> onePage;

    private int vms;

    /** {@code namespace} null means all namespaces; {@code labelSelector} null means every VM. */
    public ClusterSource(KubeCluster source, String namespace, String labelSelector, int pageSize) {
        if (pageSize < 1) {
            throw VmConfigException.config("--page-size must be at least 1, not " + pageSize);
        }
        this.source = source;
        this.namespace = namespace;
        this.labelSelector = labelSelector;
        this.pageSize = pageSize;
    }

    /** Reads the VMs page by page and hands each one's export result to {@code out}, in list order. */
    public void forEach(Consumer<VmResult> out) {
        if (onePage != null) {
            ExportBatch.run(onePage).forEach(out);
            return;
        }
        boolean first = firstWalk == null;
        Set<String> walked = new HashSet<>();
        List<List<SourcedObject>> single = new ArrayList<>(1); // a first walk's first page, while it is the only one
        int[] count = {0};
        source.pages(KubeKind.VM, namespace, labelSelector, pageSize, page -> {
            List<SourcedObject> objects = new ArrayList<>();
            Map<String, Boolean> read = new HashMap<>(); // this page's objects read by name: found or not
            for (ObjectNode vm : page) {
                SourcedObject o = of(vm);
                String key = o.namespace() + "/" + o.name();
                if (!first && !firstWalk.contains(key)) {
                    continue;
                }
                walked.add(key);
                objects.add(o);
                for (DependencyRef d : needs(o)) {
                    String at = d.kind() + "|" + d.namespace() + "|" + d.name();
                    if (!read.containsKey(at)) {
                        Optional<ObjectNode> found = read(d);
                        read.put(at, found.isPresent());
                        found.ifPresent(f -> objects.add(of(f)));
                    }
                }
            }
            ExportBatch.run(objects).forEach(out);
            count[0]++;
            single.clear();
            if (first && count[0] == 1) {
                single.add(objects);
            }
        });
        if (first && count[0] == 1) {
            onePage = single.get(0); // one page: no more than the walk held
        }
        if (first) {
            firstWalk = walked;
        } else if (walked.size() < firstWalk.size()) {
            throw new VmConfigException(
                    VmConfigException.Kind.TRANSIENT,
                    "backup of " + source.name() + ": " + (firstWalk.size() - walked.size())
                            + " VM(s) were deleted while the backup read the cluster again (a first backup reads it"
                            + " three times to train its dictionaries); nothing was signed, run it again");
        }
        vms = walked.size();
    }

    /** How many VMs the last walk handed out (0 before the first). */
    public int vmCount() {
        return vms;
    }

    /**
     * The namespaces whose Secrets the caller may not list (403), as found so far: their VMs' Secrets are not in the
     * input, which the backup must not pass over in silence.
     */
    public Set<String> unreadableSecrets() {
        return Collections.unmodifiableSet(unreadableSecrets);
    }

    /**
     * What the export of {@code vm} looks up in its input: its carried dependencies and its PVCs (as {@code
     * VmBundles} reads them for vm-backup). A VM the filter refuses needs nothing: the export reports it.
     */
    private static List<DependencyRef> needs(SourcedObject vm) {
        ConfigOnlyVm c;
        try {
            c = ConfigOnlyFilter.filter(vm.object(), vm.origin());
        } catch (VmConfigException e) {
            return List.of();
        }
        String ns = c.ref().namespace();
        List<DependencyRef> out = new ArrayList<>();
        for (DependencyRef d : c.dependencies()) {
            if (d.carried()) {
                out.add(new DependencyRef(
                        d.apiVersion(), d.kind(), d.namespace() == null ? ns : d.namespace(), d.name()));
            }
        }
        for (ClaimRecord r : c.claims()) {
            if (r.source() != ClaimSource.BACKEND_STORAGE && r.claimName() != null) {
                out.add(new DependencyRef("v1", KubeKind.PVC.kind(), ns, r.claimName()));
            }
        }
        return out;
    }

    /** One object by name; a Secret of a namespace whose Secrets the caller may not list is recorded, not read. */
    private Optional<ObjectNode> read(DependencyRef d) {
        KubeKind kind = KubeKind.SOURCE_DEPENDENCIES.stream()
                .filter(k -> k.kind().equals(d.kind()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no source kind " + d.kind()));
        boolean secret = KubeKind.SECRET.equals(kind);
        if (secret && unreadableSecrets.contains(d.namespace())) {
            return Optional.empty();
        }
        try {
            return source.find(kind, d.namespace(), d.name());
        } catch (VmConfigException e) {
            if (!secret || !KubeErrors.isForbidden(e)) {
                throw e;
            }
            unreadableSecrets.add(d.namespace());
            return Optional.empty();
        }
    }

    private SourcedObject of(ObjectNode o) {
        return SourceReader.of(source.name(), o);
    }
}
