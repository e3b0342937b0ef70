package io.vmconfig.adapters.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.sync.ChangeSignal;

/**
 * A watch of one kind (in one namespace or all) on a cluster, translated into {@link ChangeSignal.Change} values for
 * a listener: first every object listed (to know where the watch starts, so that existing objects are not news), then
 * every change from that list's resourceVersion on. Decides nothing: what a change means is {@link ChangeSignal}'s,
 * what to do when the watch fails is the caller's. fabric8 reconnects a dropped connection from the last
 * resourceVersion it saw; when it gives up (410 Gone, 403, the kind not served) the listener is told once.
 */
public final class KubeWatch implements AutoCloseable {
    /** What a watch reports. Called on the client's threads: keep it short. */
    public interface Listener {
        void changed(ChangeSignal.Change change);

        /** The watch ended on its own and will report nothing more. */
        void failed(VmConfigException error);
    }

    private final Watch watch;

    private KubeWatch(Watch watch) {
        this.watch = watch;
    }

    /**
     * Lists {@code kind} in {@code namespace} (null: every namespace) reporting each object as
     * {@link ChangeSignal.Type#LISTED}, then watches from the list's resourceVersion; a failure to list or to open the
     * watch is thrown (classified), later failures go to {@link Listener#failed}.
     */
    public static KubeWatch start(KubeCluster cluster, KubeKind kind, String namespace, Listener listener) {
        String what =
                "watch " + kind.plural() + (namespace == null ? "" : " in " + namespace) + " on " + cluster.name();
        return KubeErrors.call(what, () -> {
            var op = cluster.selection(kind, namespace);
            String version = null;
            String next = null;
            do {
                GenericKubernetesResourceList page = op.list(new ListOptionsBuilder()
                        .withLimit((long) KubeCluster.PAGE_SIZE)
                        .withContinue(next)
                        .build());
                for (GenericKubernetesResource r : page.getItems()) {
                    listener.changed(change(kind, ChangeSignal.Type.LISTED, r));
                }
                if (page.getMetadata() != null) {
                    version = version == null ? page.getMetadata().getResourceVersion() : version;
                    next = page.getMetadata().getContinue();
                } else {
                    next = null;
                }
            } while (next != null && !next.isEmpty());
            Watch w = op.watch(
                    new ListOptionsBuilder()
                            .withResourceVersion(version == null || version.isEmpty() ? null : version)
                            .withAllowWatchBookmarks(true)
                            .build(),
                    new Watcher<GenericKubernetesResource>() {
                        @Override
                        public void eventReceived(Action action, GenericKubernetesResource r) {
                            ChangeSignal.Type type = switch (action) {
                                case ADDED -> ChangeSignal.Type.ADDED;
                                case MODIFIED -> ChangeSignal.Type.MODIFIED;
                                case DELETED -> ChangeSignal.Type.DELETED;
                                default -> null; // BOOKMARK, ERROR: no object changed
                            };
                            if (type != null && r != null) {
                                listener.changed(change(kind, type, r));
                            }
                        }

                        @Override
                        public void onClose(WatcherException e) {
                            KubernetesClientException k = e.asClientException();
                            listener.failed(KubeErrors.map(what, k));
                        }

                        @Override
                        public void onClose() {
                            // closed by us
                        }
                    });
            return new KubeWatch(w);
        });
    }

    private static ChangeSignal.Change change(KubeKind kind, ChangeSignal.Type type, GenericKubernetesResource r) {
        var meta = r.getMetadata();
        Long generation = meta == null ? null : meta.getGeneration();
        Object status = r.getAdditionalProperties().get("status");
        long observed = -1;
        if (status instanceof java.util.Map<?, ?> s && s.get("observedGeneration") instanceof Number n) {
            observed = n.longValue();
        }
        return new ChangeSignal.Change(
                kind.kind(),
                type,
                meta == null ? null : meta.getNamespace(),
                meta == null ? "" : meta.getName(),
                generation == null ? 0 : generation,
                observed);
    }

    @Override
    public void close() {
        watch.close();
    }
}
