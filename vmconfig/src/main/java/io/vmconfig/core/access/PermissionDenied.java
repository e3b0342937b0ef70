package io.vmconfig.core.access;

import io.vmconfig.core.VmConfigException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A command refused before its first write because the caller lacks some of the permissions it would use: every
 * missing one is listed (not the first 403 the API server would have answered half-way).
 */
public final class PermissionDenied extends VmConfigException {
    private static final long serialVersionUID = 1L;
    private final transient List<Permission> missing;

    public PermissionDenied(String action, String user, String cluster, List<Permission> missing) {
        super(
                Kind.REFUSED,
                action + " refused before writing anything: user \"" + user + "\" on " + cluster + " lacks "
                        + missing.size() + " permission(s):\n" + table(missing));
        this.missing = List.copyOf(missing);
    }

    public List<Permission> missing() {
        return missing;
    }

    /** Like {@code kubectl auth can-i --list}: one row per namespace and resource, with the verbs missing. */
    public static String table(List<Permission> missing) {
        java.util.Map<List<String>, List<String>> rows = missing.stream()
                .sorted()
                .collect(Collectors.groupingBy(
                        p -> List.of(p.namespace() == null ? "*" : p.namespace(), p.qualifiedResource()),
                        java.util.LinkedHashMap::new,
                        Collectors.mapping(Permission::verb, Collectors.toList())));
        int ns = Math.max(
                "NAMESPACE".length(),
                rows.keySet().stream().mapToInt(k -> k.get(0).length()).max().orElse(0));
        int res = Math.max(
                "RESOURCE".length(),
                rows.keySet().stream().mapToInt(k -> k.get(1).length()).max().orElse(0));
        String format = "  %-" + ns + "s  %-" + res + "s  %s";
        StringBuilder out =
                new StringBuilder(String.format(java.util.Locale.ROOT, format, "NAMESPACE", "RESOURCE", "VERBS"));
        rows.forEach((k, verbs) ->
                out.append('\n').append(String.format(java.util.Locale.ROOT, format, k.get(0), k.get(1), verbs)));
        return out.toString();
    }
}
