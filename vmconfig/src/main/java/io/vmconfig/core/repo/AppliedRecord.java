package io.vmconfig.core.repo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmconfig.core.VmConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The applied-revisions record of a restore to files (repository-format.md §8), read and rewritten as a stream, so
 * that a restore of a whole 100,000-VM set keeps no entry per VM (docs/architecture.md, "Memory"). The record's
 * entries are written in path order (the SHA-256 of "namespace/name", the order {@link RepoReader#each} hands a
 * set's entries over), and the VMs are decided in that order too: the previous record is merged with the set as
 * both go by, one entry of each at a time. A previous record in another order (written before this class, in VM
 * order) is read whole and sorted once; the record it is rewritten as is in path order.
 *
 * <p>Per VM: {@link #admit} (in path order), then {@link #record} if it was applied. Each VM's line in the new record
 * is the entry applied now, else the one applied before; VMs of the previous record that the set does not hold keep
 * theirs. {@link #finish} writes the rest.
 */
public final class AppliedRecord implements RepoRestoreInput.Admit {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final byte[] HEAD = "{\"applied\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TAIL = "],\"format\":1}".getBytes(StandardCharsets.US_ASCII);

    private final Iterator<Entry> previous;
    private final OutputStream out;
    private Entry next;
    private String nextPath;
    private String lastPath = "";
    private Entry current;
    private Entry applied;
    private boolean first = true;

    /**
     * {@code previous} opens the record applied before (empty: none); the new record is written to {@code out}
     * (which the caller closes), in canonical JSON as {@link AppliedRevisions#toBytes} wrote it.
     */
    public AppliedRecord(Optional<Supplier<InputStream>> previous, String origin, OutputStream out) {
        this.previous = previous.map(p -> inPathOrder(p, origin)).orElseGet(java.util.Collections::emptyIterator);
        this.out = out;
        write(HEAD);
        advance();
    }

    /**
     * Whether {@code incoming} may be applied (§8, {@link AppliedRevisions#admit}); VMs must come in path order, each
     * once.
     */
    @Override
    public AppliedRevisions.Admission admit(Entry incoming, boolean allowOlder) {
        String path = ManifestTree.path(incoming.key());
        if (path.compareTo(lastPath) <= 0) {
            throw new VmConfigException(
                    VmConfigException.Kind.INTERNAL, "VM " + incoming.key() + " comes out of path order");
        }
        settle();
        lastPath = path;
        while (next != null && nextPath.compareTo(path) < 0) {
            line(next); // a VM applied before that this set does not hold keeps its line
            advance();
        }
        Entry prev = null;
        if (next != null && nextPath.equals(path)) {
            prev = next;
            advance();
        }
        current = incoming;
        applied = prev;
        return AppliedRevisions.admit(incoming, prev, allowOlder);
    }

    /** The VM last admitted was applied as {@code e}. */
    public void record(Entry e) {
        if (current == null || !current.key().equals(e.key())) {
            throw new VmConfigException(
                    VmConfigException.Kind.INTERNAL, "VM " + e.key() + " is recorded without being admitted");
        }
        applied = e;
    }

    /** Writes the last VM's line and the previous record's remaining VMs, and closes the record's JSON. */
    public void finish() {
        settle();
        while (next != null) {
            line(next);
            advance();
        }
        write(TAIL);
    }

    private void settle() {
        if (applied != null) {
            line(applied);
        }
        current = null;
        applied = null;
    }

    private void line(Entry e) {
        if (!first) {
            write(new byte[] {','});
        }
        first = false;
        write(CanonicalJson.bytes(e.toJson()));
    }

    private void write(byte[] b) {
        try {
            out.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void advance() {
        next = previous.hasNext() ? previous.next() : null;
        nextPath = next == null ? null : ManifestTree.path(next.key());
    }

    /**
     * The entries of a record in path order: streamed when the record is in that order (one pass checks it), else
     * read whole and sorted (a record written before path order).
     */
    private static Iterator<Entry> inPathOrder(Supplier<InputStream> open, String origin) {
        boolean sorted = true;
        String last = "";
        for (Iterator<Entry> it = entries(open, origin); it.hasNext(); ) {
            String path = ManifestTree.path(it.next().key());
            sorted &= path.compareTo(last) > 0; // read to the end, which closes the file
            last = path;
        }
        if (sorted) {
            return entries(open, origin);
        }
        List<Entry> all = new ArrayList<>();
        entries(open, origin).forEachRemaining(all::add);
        all.sort(Comparator.comparing(e -> ManifestTree.path(e.key())));
        return all.iterator();
    }

    /** The entries of a record one at a time, with a streaming parser; INTEGRITY naming {@code origin} if malformed. */
    static Iterator<Entry> entries(Supplier<InputStream> open, String origin) {
        InputStream in = open.get();
        JsonParser p;
        try {
            p = new JsonFactory(MAPPER).createParser(in);
            expect(p.nextToken() == JsonToken.START_OBJECT, origin);
            while (true) {
                JsonToken t = p.nextToken();
                expect(t == JsonToken.FIELD_NAME, origin);
                if ("applied".equals(p.currentName())) {
                    expect(p.nextToken() == JsonToken.START_ARRAY, origin);
                    break;
                }
                p.nextToken();
                p.skipChildren();
            }
        } catch (IOException e) {
            close(in);
            throw malformed(origin, e);
        }
        return new Iterator<>() {
            private Entry ahead = read();

            private Entry read() {
                try {
                    JsonToken t = p.nextToken();
                    if (t == JsonToken.END_ARRAY) {
                        p.close();
                        return null;
                    }
                    expect(t == JsonToken.START_OBJECT, origin);
                    JsonNode n = MAPPER.readTree(p);
                    return Entry.fromJson(n, origin);
                } catch (IOException e) {
                    close(in);
                    throw malformed(origin, e);
                }
            }

            @Override
            public boolean hasNext() {
                return ahead != null;
            }

            @Override
            public Entry next() {
                if (ahead == null) {
                    throw new NoSuchElementException();
                }
                Entry e = ahead;
                ahead = read();
                return e;
            }
        };
    }

    private static void expect(boolean ok, String origin) {
        if (!ok) {
            throw new VmConfigException(
                    VmConfigException.Kind.INTEGRITY, origin + " is not a record of applied revisions");
        }
    }

    private static void close(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // nothing more to say than the failure being reported
        }
    }

    private static VmConfigException malformed(String origin, IOException e) {
        return new VmConfigException(VmConfigException.Kind.INTEGRITY, origin + " is not valid JSON", e);
    }
}
