package io.vmconfig.core.vm;

import io.vmconfig.core.VmConfigException;
import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Kubernetes resource quantities ({@code 40Gi}, {@code 100G}, {@code 1.5Ti}, {@code 1e9}) as exact numbers. */
public final class Quantity {
    private static final Pattern FORM = Pattern.compile("^([+-]?[0-9]+(?:\\.[0-9]*)?|[+-]?\\.[0-9]+)"
            + "(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]{1,4})?$");

    private static final Map<String, BigDecimal> SUFFIX = Map.ofEntries(
            Map.entry("Ki", BigDecimal.valueOf(1L << 10)),
            Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
            Map.entry("Gi", BigDecimal.valueOf(1L << 30)),
            Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
            Map.entry("Pi", BigDecimal.valueOf(1L << 50)),
            Map.entry("Ei", BigDecimal.valueOf(1L << 60)),
            Map.entry("n", new BigDecimal("1e-9")),
            Map.entry("u", new BigDecimal("1e-6")),
            Map.entry("m", new BigDecimal("1e-3")),
            Map.entry("k", new BigDecimal("1e3")),
            Map.entry("M", new BigDecimal("1e6")),
            Map.entry("G", new BigDecimal("1e9")),
            Map.entry("T", new BigDecimal("1e12")),
            Map.entry("P", new BigDecimal("1e15")),
            Map.entry("E", new BigDecimal("1e18")));

    private Quantity() {}

    /** Parses {@code text}; {@code what} names the field in the error. */
    public static BigDecimal parse(String text, String what) {
        Matcher m = text == null ? null : FORM.matcher(text.trim());
        if (m == null || !m.matches()) {
            throw VmConfigException.invalid(what + ": '" + text + "' is not a Kubernetes quantity");
        }
        BigDecimal number = new BigDecimal(m.group(1));
        String suffix = m.group(2);
        if (suffix == null) {
            return number;
        }
        BigDecimal multiplier = SUFFIX.get(suffix);
        if (multiplier != null) {
            return number.multiply(multiplier);
        }
        int exp = Integer.parseInt(suffix.substring(1).replace("+", ""));
        if (Math.abs(exp) > 30) {
            throw VmConfigException.invalid(what + ": '" + text + "' is out of range");
        }
        return number.scaleByPowerOfTen(exp);
    }
}
