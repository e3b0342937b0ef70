package io.vmconfig.core.vm;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmconfig.core.VmConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which VMs of a set a request asks for: by name and/or by a Kubernetes label selector ({@code matchLabels} and
 * {@code matchExpressions} with In, NotIn, Exists, DoesNotExist, as {@code kubectl -l} understands them), both
 * applied to the VM as it was captured. Nothing given selects every VM; names and a selector together select the
 * VMs both admit. Pure.
 */
public final class VmSelection {
    public static final VmSelection ALL = new VmSelection(Set.of(), Map.of(), List.of());

    private final Set<String> names;
    private final Map<String, String> matchLabels;
    private final List<Expression> expressions;

    /** One {@code matchExpressions} item. */
    public record Expression(String key, String operator, List<String> values) {
        public Expression {
            values = List.copyOf(values);
            if (!List.of("In", "NotIn", "Exists", "DoesNotExist").contains(operator)) {
                throw new VmConfigException(
                        VmConfigException.Kind.INVALID_INPUT,
                        "label selector operator '" + operator + "' is not In, NotIn, Exists or DoesNotExist");
            }
            if ((operator.equals("In") || operator.equals("NotIn")) && values.isEmpty()) {
                throw new VmConfigException(
                        VmConfigException.Kind.INVALID_INPUT,
                        "label selector " + key + " " + operator + " needs values");
            }
        }

        boolean matches(Map<String, String> labels) {
            return switch (operator) {
                case "In" -> labels.containsKey(key) && values.contains(labels.get(key));
                case "NotIn" -> !labels.containsKey(key) || !values.contains(labels.get(key));
                case "Exists" -> labels.containsKey(key);
                default -> !labels.containsKey(key);
            };
        }
    }

    public VmSelection(Set<String> names, Map<String, String> matchLabels, List<Expression> expressions) {
        this.names = Set.copyOf(new TreeSet<>(names));
        this.matchLabels = Map.copyOf(new TreeMap<>(matchLabels));
        this.expressions = List.copyOf(expressions);
    }

    /**
     * From a request's {@code {names: [...], selector: {matchLabels, matchExpressions}}} (missing: every VM);
     * {@code what} names the field in errors.
     */
    public static VmSelection of(JsonNode spec, String what) {
        if (spec == null || spec.isMissingNode() || spec.isNull()) {
            return ALL;
        }
        Set<String> names = new TreeSet<>();
        spec.path("names").forEach(n -> names.add(n.asText()));
        Map<String, String> labels = new TreeMap<>();
        spec.path("selector")
                .path("matchLabels")
                .fields()
                .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        List<Expression> expressions = new ArrayList<>();
        for (JsonNode e : spec.path("selector").path("matchExpressions")) {
            List<String> values = new ArrayList<>();
            e.path("values").forEach(v -> values.add(v.asText()));
            try {
                expressions.add(new Expression(
                        e.path("key").asText(), e.path("operator").asText(), values));
            } catch (VmConfigException x) {
                throw new VmConfigException(x.kind(), what + ": " + x.getMessage());
            }
        }
        return new VmSelection(names, labels, expressions);
    }

    /** Whether a selector (labels or expressions) was given: then VMs whose labels are unknown are not selected. */
    public boolean hasSelector() {
        return !matchLabels.isEmpty() || !expressions.isEmpty();
    }

    /** The VM {@code ref} with {@code labels} (empty: not known, e.g. its bundle could not be read). */
    public boolean matches(VmRef ref, Optional<Map<String, String>> labels) {
        if (!names.isEmpty() && !names.contains(ref.name())) {
            return false;
        }
        if (!hasSelector()) {
            return true;
        }
        if (labels.isEmpty()) {
            return false;
        }
        Map<String, String> l = labels.get();
        for (Map.Entry<String, String> e : matchLabels.entrySet()) {
            if (!e.getValue().equals(l.get(e.getKey()))) {
                return false;
            }
        }
        return expressions.stream().allMatch(x -> x.matches(l));
    }

    /** A VM object's {@code metadata.labels} as a map. */
    public static Map<String, String> labels(JsonNode vm) {
        Map<String, String> out = new TreeMap<>();
        vm.path("metadata")
                .path("labels")
                .fields()
                .forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    @Override
    public String toString() {
        return "names " + names + ", matchLabels " + matchLabels + ", matchExpressions " + expressions;
    }
}
