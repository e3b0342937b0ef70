package io.vmconfig.core.restore;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmconfig.core.vm.VirtualMachines;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The declarative mapping from source to DR: claims (explicit pairs, then name rules), namespaces, storage classes,
 * networks and Harvester cluster networks, plus the restore mode and what to do with unmapped claims. The same file
 * serves the CLI, the Velero plugin's ConfigMap and the sync controller; {@link VolumeMapParser} reads it.
 */
public record VolumeMap(
        RestoreMode mode,
        UnmappedPolicy unmapped,
        Map<String, String> namespaces,
        Map<String, String> claims,
        List<ClaimRule> rules,
        Map<String, String> storageClasses,
        Map<String, String> networks,
        Map<String, String> clusterNetworks) {

    public VolumeMap {
        namespaces = Map.copyOf(namespaces);
        claims = Map.copyOf(claims);
        rules = List.copyOf(rules);
        storageClasses = Map.copyOf(storageClasses);
        networks = Map.copyOf(networks);
        clusterNetworks = Map.copyOf(clusterNetworks);
    }

    /** Parses the YAML or JSON text of a VolumeMap; {@code origin} (a file, a ConfigMap) is named in errors. */
    public static VolumeMap parse(String text, String origin) {
        return VolumeMapParser.parse(text, origin);
    }

    /** Parses an already-read tree. */
    public static VolumeMap parse(JsonNode tree, String origin) {
        return VolumeMapParser.parse(tree, origin);
    }

    public VolumeMap withMode(RestoreMode m) {
        return new VolumeMap(m, unmapped, namespaces, claims, rules, storageClasses, networks, clusterNetworks);
    }

    /**
     * The reverse map, for failback (DR back onto production): every pair swapped, mode and unmapped policy kept.
     * Refused ({@code CONFIG}, naming every rule and pair in the way) unless the map is one-to-one: name rules
     * other than the identity and two sources mapped onto one target cannot be reversed. For a one-to-one map
     * {@code m.invert().invert().equals(m)}. {@code origin} (a file) is named in the error.
     */
    public VolumeMap invert(String origin) {
        return VolumeMapInversion.invert(this, origin);
    }

    public VolumeMap invert() {
        return invert("map");
    }

    /** The map as a VolumeMap document (sorted keys, empty sections left out) that {@link #parse} reads back. */
    public com.fasterxml.jackson.databind.node.ObjectNode toTree() {
        return VolumeMapInversion.tree(this);
    }

    public String namespace(String source) {
        return namespaces.getOrDefault(source, source);
    }

    public String storageClass(String source) {
        return source == null ? null : storageClasses.getOrDefault(source, source);
    }

    public String clusterNetwork(String source) {
        return clusterNetworks.getOrDefault(source, source);
    }

    /**
     * The DR reference for a Multus network name ({@code ns/nad} or {@code nad} in {@code vmNamespace}): an explicit
     * pair wins, otherwise the namespace part follows the namespace mapping.
     */
    public String network(String networkName, String vmNamespace) {
        int slash = networkName.indexOf('/');
        String ns = slash > 0 ? networkName.substring(0, slash) : vmNamespace;
        String nad = slash > 0 ? networkName.substring(slash + 1) : networkName;
        String explicit = networks.get(ns + "/" + nad);
        if (explicit != null) {
            return explicit;
        }
        return slash > 0 ? namespace(ns) + "/" + nad : networkName;
    }

    /** The DR claim for a source claim: an explicit pair, else the first rule that applies. */
    public Optional<Mapped> claim(String sourceNamespace, String claim) {
        String explicit = claims.get(sourceNamespace + "/" + claim);
        if (explicit != null) {
            return Optional.of(new Mapped(explicit, "claims['" + sourceNamespace + "/" + claim + "']", true));
        }
        for (ClaimRule rule : rules) {
            Optional<String> name = rule.apply(claim);
            if (name.isPresent()) {
                return Optional.of(new Mapped(name.get(), rule.describe(), false));
            }
        }
        return Optional.empty();
    }

    /** A mapped claim name and the pair or rule that produced it; {@code explicit} when a claims pair names it. */
    public record Mapped(String name, String by, boolean explicit) {
        public boolean valid() {
            return VirtualMachines.isValidName(name);
        }
    }
}
