package io.vmconfig.core.access;

import io.vmconfig.core.vm.VmRef;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The one home of the tenant rule: may this request (a {@code ConfigRestore} in namespace X) restore this VM into
 * this namespace from this repository? The controller acts with its own service account, so this decision, not RBAC
 * on VMs, is what keeps a tenant in X: RBAC on the request object says who may ask, this says what may be done.
 *
 * <p>The rules, in order: the repository must be allowed for X by a cluster-scoped grant ({@code RepositoryGrant})
 * naming the same URL and X as a target ({@link #REPOSITORY_NOT_ALLOWED}); that grant must allow the request's source
 * namespace for X ({@link #SOURCE_NAMESPACE_NOT_ALLOWED}); for a VM: it must come from that source namespace, and it
 * and every object written for it must land in X — a cluster-scoped object never ({@link #TARGET_OUTSIDE_NAMESPACE});
 * in import mode a VM that exists already is left alone ({@link #EXISTS}, import never overwrites). Whether the write
 * is DR-safe (activated, running, foreign VM, older revision) is not decided here but by {@code core.sync.DrSafety},
 * which every plan has passed through already. Pure: the caller reads the grants and plans.
 */
public final class TenantPolicy {
    public static final String ALLOWED = "ALLOWED";
    public static final String REPOSITORY_NOT_ALLOWED = "REPOSITORY_NOT_ALLOWED";
    public static final String SOURCE_NAMESPACE_NOT_ALLOWED = "SOURCE_NAMESPACE_NOT_ALLOWED";
    public static final String TARGET_OUTSIDE_NAMESPACE = "TARGET_OUTSIDE_NAMESPACE";
    public static final String EXISTS = "EXISTS";

    private TenantPolicy() {}

    /** restore: create or update (as sync); import: create only, never overwrite (as {@code vmconfig import}). */
    public enum Mode {
        RESTORE,
        IMPORT
    }

    /** What the caller does: write the VM, leave it alone (not an error), or refuse (the whole request). */
    public enum Outcome {
        ALLOW,
        SKIP,
        REFUSE
    }

    /**
     * One cluster-scoped grant: the repository URL and, per target namespace, the source namespaces of the
     * repository's sets that may be restored into it.
     */
    public record Grant(String name, String repository, Map<String, List<String>> sourcesByTarget) {
        public Grant {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(repository, "repository");
            sourcesByTarget = Map.copyOf(sourcesByTarget);
        }
    }

    /** The request: its namespace and name, the repository URL it names, its source namespace and mode. */
    public record Request(String namespace, String name, String repository, String sourceNamespace, Mode mode) {
        public Request {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(sourceNamespace, "sourceNamespace");
            Objects.requireNonNull(mode, "mode");
        }

        @Override
        public String toString() {
            return "ConfigRestore " + namespace + "/" + name;
        }
    }

    /**
     * One VM of the plan: where it comes from, where it would be written ({@code target} null when the restore could
     * not place it), the namespace of every object that would be written for it ("" for a cluster-scoped one), and
     * whether a VM of that name is on the cluster already.
     */
    public record Vm(VmRef source, VmRef target, List<String> objectNamespaces, boolean exists) {
        public Vm {
            Objects.requireNonNull(source, "source");
            objectNamespaces = List.copyOf(objectNamespaces);
        }
    }

    /** The decision: what to do, a reason code, a sentence for people, and the grant that allowed the repository. */
    public record Verdict(Outcome outcome, String code, String reason, Optional<Grant> grant) {
        public Verdict {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(reason, "reason");
        }

        public boolean refused() {
            return outcome == Outcome.REFUSE;
        }
    }

    /**
     * The decision for {@code request} with the cluster's {@code grants}: without {@code vm}, whether the repository
     * and source namespace are allowed at all (asked before the repository is opened or a Secret read); with one,
     * whether that VM may be written.
     */
    public static Verdict decide(Request request, List<Grant> grants, Optional<Vm> vm) {
        List<Grant> forRepo = grants.stream()
                .filter(g -> sameRepository(g.repository(), request.repository()))
                .filter(g -> g.sourcesByTarget().containsKey(request.namespace()))
                .sorted(Comparator.comparing(Grant::name))
                .toList();
        if (forRepo.isEmpty()) {
            return new Verdict(
                    Outcome.REFUSE,
                    REPOSITORY_NOT_ALLOWED,
                    "no RepositoryGrant allows repository " + request.repository() + " for namespace "
                            + request.namespace(),
                    Optional.empty());
        }
        Optional<Grant> grant = forRepo.stream()
                .filter(g -> g.sourcesByTarget().get(request.namespace()).contains(request.sourceNamespace()))
                .findFirst();
        if (grant.isEmpty()) {
            return new Verdict(
                    Outcome.REFUSE,
                    SOURCE_NAMESPACE_NOT_ALLOWED,
                    "RepositoryGrant " + forRepo.stream().map(Grant::name).toList()
                            + " does not allow source namespace "
                            + request.sourceNamespace() + " of " + request.repository() + " for namespace "
                            + request.namespace(),
                    Optional.empty());
        }
        if (vm.isEmpty()) {
            return new Verdict(
                    Outcome.ALLOW, ALLOWED, "RepositoryGrant " + grant.get().name() + " allows it", grant);
        }
        Vm v = vm.get();
        if (!v.source().namespace().equals(request.sourceNamespace())) {
            return new Verdict(
                    Outcome.REFUSE,
                    SOURCE_NAMESPACE_NOT_ALLOWED,
                    v.source() + " is not in the request's source namespace " + request.sourceNamespace(),
                    grant);
        }
        if (v.target() != null && !v.target().namespace().equals(request.namespace())) {
            return new Verdict(
                    Outcome.REFUSE,
                    TARGET_OUTSIDE_NAMESPACE,
                    v.source() + " would be restored as " + v.target() + ", outside the request's namespace "
                            + request.namespace(),
                    grant);
        }
        for (String ns : v.objectNamespaces()) {
            if (!ns.equals(request.namespace())) {
                return new Verdict(
                        Outcome.REFUSE,
                        TARGET_OUTSIDE_NAMESPACE,
                        v.source() + " would write "
                                + (ns.isEmpty() ? "a cluster-scoped object" : "an object in namespace " + ns)
                                + ", outside the request's namespace " + request.namespace(),
                        grant);
            }
        }
        if (request.mode() == Mode.IMPORT && v.exists()) {
            return new Verdict(
                    Outcome.SKIP,
                    EXISTS,
                    "VM " + (v.target() != null ? v.target() : v.source()) + " already exists: import never overwrites",
                    grant);
        }
        return new Verdict(
                Outcome.ALLOW,
                ALLOWED,
                "allowed by RepositoryGrant " + grant.get().name(),
                grant);
    }

    /** Where a Secret a request needs (S3 credentials, verify key, repository key) is read from. */
    public enum SecretFrom {
        /** The grant's Secret, in the namespace the grant names. */
        GRANT,
        /** The request's Secret, in the request's own namespace. */
        REQUEST,
        NONE
    }

    /**
     * The grant's reference wins when it has one: the cluster admin's choice, so a tenant never brings a verify key
     * that trusts sets the admin does not, nor needs to see the repository's credentials; else the request's.
     */
    public static SecretFrom secretFrom(boolean grantNamesOne, boolean requestNamesOne) {
        return grantNamesOne ? SecretFrom.GRANT : requestNamesOne ? SecretFrom.REQUEST : SecretFrom.NONE;
    }

    /** URLs compare as written, but a trailing slash of the path is not a different repository. */
    private static boolean sameRepository(String granted, String requested) {
        return strip(granted).equals(strip(requested));
    }

    private static String strip(String url) {
        String u = url.strip();
        int q = u.indexOf('?');
        String path = q < 0 ? u : u.substring(0, q);
        String query = q < 0 ? "" : u.substring(q);
        while (path.endsWith("/") && path.length() > 1) {
            path = path.substring(0, path.length() - 1);
        }
        return path + query;
    }
}
