package io.vmconfig.core.repo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmconfig.core.VmConfigException;
import io.vmconfig.core.vm.VmRef;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The manifest tree of a format 3 set (repository-format.md §6.2): a hash trie over SHA-256("namespace/name") in
 * hex, 16 children per inner node, a node with at most {@value #LEAF_MAX} entries a leaf; plus up to
 * {@value #MAX_OVERLAY} overlay segments, each the changes of one run on top of the tree. The trie's shape depends
 * only on which VMs it holds, so equal entries give equal nodes whoever writes them, and a changed VM rewrites only
 * the nodes on its path. Every node is gzip'd canonical JSON under {@code manifests/<sha256>}.
 */
final class ManifestTree {
    static final int LEAF_MAX = 64;
    static final int MAX_OVERLAY = 8;
    /** The node format a version 4 writer writes (entries in columns, §6.3); format 3 nodes are still read. */
    static final int FORMAT = 4;

    static final String LEAF = "vmconfig.leaf";
    static final String INNER = "vmconfig.node";
    static final String OVERLAY = "vmconfig.overlay";
    private static final String HEX = "0123456789abcdef";

    private ManifestTree() {}

    /** A VM's path in the trie: SHA-256("namespace/name") in lower-case hex. */
    static String path(VmRef vm) {
        return Digest.sha256(vm.toString().getBytes(StandardCharsets.UTF_8)).hex();
    }

    /** A node as read: a leaf's entries, an inner node's 16 children, or an overlay segment's changes. */
    sealed interface Node permits Leaf, Inner, Overlay {}

    record Leaf(List<Entry> entries) implements Node {}

    record Inner(List<Optional<Digest>> children) implements Node {}

    record Overlay(List<Change> changes) implements Node {}

    /**
     * One VM's change in an overlay segment: its new entry, or its removal from the set. {@code inheritsBase}: the
     * entry's delta base is the key frame of the VM's entry beneath the segment (§6.3); as read, such an entry has
     * no base until the reader resolves it against what lies beneath.
     */
    record Change(VmRef key, Optional<Entry> entry, boolean inheritsBase) {
        Change(VmRef key, Optional<Entry> entry) {
            this(key, entry, false);
        }
    }

    /**
     * The nodes a writer names without putting them, by content (repository-format.md §5.6): its parent's and those
     * it put itself. A node's content name is the SHA-256 of its gzip with the header's time field zeroed, which is
     * its name when it was stored unsalted; a writer puts a node whose content no known node has with its run's salt
     * in that field, so its name is one no earlier run's node carries, while an unchanged subtree keeps the parent's
     * names.
     */
    static final class Known {
        private final java.util.Map<Digest, Digest> byContent;
        private final Salt salt;

        /** {@code parent} maps content names to the stored names of the parent's nodes. */
        Known(java.util.Map<Digest, Digest> parent, Salt salt) {
            this.byContent = new java.util.HashMap<>(parent);
            this.salt = salt;
        }

        private Digest put(byte[] gzip, BiConsumer<Digest, byte[]> put) {
            Digest content = Digest.sha256(gzip);
            Digest name = byContent.get(content);
            if (name == null) {
                byte[] stored = salt.gzip(gzip);
                name = Digest.sha256(stored);
                byContent.put(content, name);
                put.accept(name, stored);
            }
            return name;
        }
    }

    /**
     * Writes the tree of {@code entries}: every node whose content {@code known} does not name is put salted (and
     * added to it); returns the root, empty for no entries.
     */
    static Optional<Digest> build(List<Entry> entries, Known known, BiConsumer<Digest, byte[]> put) {
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        List<Keyed> keyed = entries.stream()
                .map(e -> new Keyed(path(e.key()), e))
                .sorted(Comparator.comparing(Keyed::path))
                .toList();
        return Optional.of(node("", keyed, known, put));
    }

    private record Keyed(String path, Entry entry) {}

    private static Digest node(String prefix, List<Keyed> items, Known known, BiConsumer<Digest, byte[]> put) {
        ObjectNode o = CanonicalJson.object();
        o.put("format", FORMAT);
        o.put("prefix", prefix);
        if (items.size() <= LEAF_MAX || prefix.length() == 64) {
            o.put("kind", LEAF);
            o.set(
                    "entries",
                    EntryColumns.write(items.stream()
                            .map(Keyed::entry)
                            .sorted(Comparator.comparing(Entry::key))
                            .toList()));
        } else {
            o.put("kind", INNER);
            ArrayNode a = o.putArray("children");
            int from = 0;
            for (int c = 0; c < 16; c++) {
                int to = from;
                while (to < items.size() && items.get(to).path().charAt(prefix.length()) == HEX.charAt(c)) {
                    to++;
                }
                a.add(
                        to == from
                                ? ""
                                : node(prefix + HEX.charAt(c), items.subList(from, to), known, put)
                                        .hex());
                from = to;
            }
        }
        return putNode(Gzip.compress(CanonicalJson.bytes(o)), known, put);
    }

    /** Writes one overlay segment: the changes sorted by VM. */
    static Digest overlay(List<Change> changes, Known known, BiConsumer<Digest, byte[]> put) {
        ObjectNode o = CanonicalJson.object();
        o.put("format", FORMAT);
        o.put("kind", OVERLAY);
        List<Change> sorted =
                changes.stream().sorted(Comparator.comparing(Change::key)).toList();
        List<Change> kept = sorted.stream().filter(c -> c.entry().isPresent()).toList();
        java.util.BitSet inherits = new java.util.BitSet();
        for (int i = 0; i < kept.size(); i++) {
            inherits.set(i, kept.get(i).inheritsBase());
        }
        o.set(
                "changes",
                EntryColumns.write(
                        kept.stream().map(c -> c.entry().orElseThrow()).toList(), inherits));
        o.set(
                "removed",
                EntryColumns.writeKeys(sorted.stream()
                        .filter(c -> c.entry().isEmpty())
                        .map(Change::key)
                        .toList()));
        return putNode(Gzip.compress(CanonicalJson.bytes(o)), known, put);
    }

    private static Digest putNode(byte[] bytes, Known known, BiConsumer<Digest, byte[]> put) {
        return known.put(bytes, put);
    }

    /**
     * Parses a node and checks that its bytes hash to its name, its kind, and for trie nodes that it sits at
     * {@code prefix} and that every entry's path starts with it; INTEGRITY naming the object otherwise.
     * {@code prefix} is null for an overlay segment.
     */
    static Node parse(Digest name, byte[] data, String prefix) {
        String what = ObjectNames.manifest(name);
        if (!Digest.sha256(data).equals(name)) {
            throw integrity(what + " does not match its hash");
        }
        ObjectNode o = CanonicalJson.parseObject(Gzip.decompress(data, what), what);
        String kind = o.path("kind").asText();
        int format = o.path("format").asInt();
        if ((format != 3 && format != FORMAT) || (prefix == null) != OVERLAY.equals(kind)) {
            throw integrity(what + " is not a format 3 or 4 " + (prefix == null ? "overlay segment" : "tree node"));
        }
        try {
            if (OVERLAY.equals(kind) && format == FORMAT) {
                List<Change> changes = new ArrayList<>();
                EntryColumns.Read read = EntryColumns.read(o.path("changes"), what, true);
                for (int i = 0; i < read.entries().size(); i++) {
                    Entry e = read.entries().get(i);
                    changes.add(
                            new Change(e.key(), Optional.of(e), read.inherits().get(i)));
                }
                EntryColumns.readKeys(o.path("removed"), what)
                        .forEach(k -> changes.add(new Change(k, Optional.empty())));
                return new Overlay(changes);
            }
            if (OVERLAY.equals(kind)) {
                List<Change> changes = new ArrayList<>();
                for (JsonNode c : o.path("changes")) {
                    VmRef key =
                            new VmRef(CanonicalJson.text(c, "namespace", what), CanonicalJson.text(c, "name", what));
                    changes.add(new Change(
                            key,
                            c.path("removed").asBoolean(false)
                                    ? Optional.empty()
                                    : Optional.of(Entry.fromJson(c, what))));
                }
                return new Overlay(changes);
            }
            if (!prefix.equals(o.path("prefix").asText())) {
                throw integrity(
                        what + " is a node of path '" + o.path("prefix").asText() + "', named at '" + prefix + "'");
            }
            if (LEAF.equals(kind)) {
                List<Entry> entries = new ArrayList<>();
                List<Entry> read = new ArrayList<>();
                if (format == FORMAT) {
                    read.addAll(EntryColumns.read(o.path("entries"), what));
                } else {
                    for (JsonNode e : o.path("entries")) {
                        read.add(Entry.fromJson(e, what));
                    }
                }
                for (Entry entry : read) {
                    if (!path(entry.key()).startsWith(prefix)) {
                        throw integrity(what + " holds " + entry.key() + ", which does not belong under its path");
                    }
                    entries.add(entry);
                }
                return new Leaf(entries);
            }
            if (INNER.equals(kind) && o.path("children").size() == 16 && prefix.length() < 64) {
                List<Optional<Digest>> children = new ArrayList<>();
                for (JsonNode c : o.path("children")) {
                    children.add(c.asText().isEmpty() ? Optional.empty() : Optional.of(new Digest(c.asText())));
                }
                return new Inner(children);
            }
        } catch (java.time.DateTimeException | IllegalArgumentException | NullPointerException e) {
            throw integrity(what + " has a malformed entry");
        } catch (VmConfigException e) {
            throw e.kind() == VmConfigException.Kind.INVALID_INPUT ? integrity(what + " is malformed") : e;
        }
        throw integrity(what + " is not a format 3 tree node");
    }

    static int child(String path, int depth) {
        return HEX.indexOf(path.charAt(depth));
    }

    static String childPrefix(String prefix, int c) {
        return prefix + HEX.charAt(c);
    }

    private static VmConfigException integrity(String message) {
        return new VmConfigException(VmConfigException.Kind.INTEGRITY, message);
    }
}
