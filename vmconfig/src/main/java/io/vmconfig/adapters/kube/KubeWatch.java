package io.vmconfig.adapters.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
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
     * Lists {@code kind} in {@code namespace} (null: every namespace) with {@link KubeCluster#listEach} reporting each
     * object as {@link ChangeSignal.Type#LISTED}, then watches from the list's resourceVersion; a failure to list or to open the
     * watch is thrown (classified), later failures go to {@link Listener#failed}.
     */
    public static KubeWatch start(KubeCluster cluster, KubeKind kind, String namespace, Listener listener) {
        String what =
                "watch " + kind.plural() + (namespace == null ? "" : " in " + namespace) + " on " + cluster.name();
        return KubeErrors.call(what, () -> {
            // KubeCluster.list's own paging loop, which also gives the list's resourceVersion
            String version = cluster.listEach(
                    kind, namespace, null, o -> listener.changed(change(kind, ChangeSignal.Type.LISTED, o)));
            if (version == null) {
                throw new KubernetesClientException(kind.plural() + " are not served", 404, null); // KubeErrors
            }
            var op = cluster.selection(kind, namespace);
            Watch w = op.watch(
                    new ListOptionsBuilder()
                            .withResourceVersion(version.isEmpty() ? null : version)
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
                                listener.changed(change(kind, type, cluster.tree(r, kind)));
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

    private static ChangeSignal.Change change(KubeKind kind, ChangeSignal.Type type, ObjectNode o) {
        JsonNode meta = o.path("metadata");
        JsonNode observed = o.path("status").path("observedGeneration");
        return new ChangeSignal.Change(
                kind.kind(),
                type,
                meta.path("namespace").textValue(),
                meta.path("name").asText(""),
                meta.path("generation").asLong(0),
                observed.isNumber() ? observed.asLong() : -1);
    }

    @Override
    public void close() {
        watch.close();
    }
}
