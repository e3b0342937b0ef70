package io.vmconfig.core.repo;

import io.vmconfig.core.VmConfigException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/** A set's id, {@code yyyyMMdd'T'HHmmss'Z'-<8 hex>}: ids sort by time (repository-format.md §6). */
public record SetId(String value) implements Comparable<SetId> {
    private static final Pattern FORM = Pattern.compile("\\d{8}t\\d{9}z-[0-9a-f]{8}");
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

    private static final DateTimeFormatter TIME_PARSE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS");

    public SetId {
        if (value == null || !FORM.matcher(value).matches()) {
            throw VmConfigException.invalid("not a set id: " + value);
        }
    }

    public static SetId next(Instant now, RandomGenerator random) {
        byte[] b = new byte[4];
        random.nextBytes(b);
        return new SetId((TIME.format(now) + "-" + HexFormat.of().formatHex(b)).toLowerCase(java.util.Locale.ROOT));
    }

    /** The time this id was made for (millisecond precision). */
    public Instant time() {
        return java.time.LocalDateTime.parse(value.substring(0, 18).toUpperCase(java.util.Locale.ROOT), TIME_PARSE)
                .toInstant(ZoneOffset.UTC);
    }

    /** A new id after {@code latest}: if the clock has not moved past it, one millisecond after it. */
    public static SetId after(java.util.Optional<SetId> latest, Instant now, RandomGenerator random) {
        SetId id = next(now, random);
        if (latest.isPresent() && id.compareTo(latest.get()) <= 0) {
            id = next(latest.get().time().plusMillis(1), random);
        }
        return id;
    }

    /** The set id in an object name {@code sets/<id>.json}, or null when the name is not a set manifest. */
    public static SetId fromObjectName(String name) {
        if (!name.startsWith(ObjectNames.SETS) || !name.endsWith(".json")) {
            return null;
        }
        String v = name.substring(ObjectNames.SETS.length(), name.length() - ".json".length());
        return FORM.matcher(v).matches() ? new SetId(v) : null;
    }

    @Override
    public int compareTo(SetId o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
