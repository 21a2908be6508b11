package dev.ravine.app;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The one place the app turns numbers into text: counts, losses, rates and durations on the terminal and in the report,
 * fixed decimals and significant digits in tables, and the exact forms written into config files and data-source
 * specs. Always in {@link Locale#ROOT}, so a run prints the same figures on every machine.
 */
public final class TextFormat {
    private TextFormat() {}

    /** 1234567 as "1,234,567". */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A loss: 4 decimals, or "nan"/"inf". */
    public static String loss(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        return Math.abs(v) >= 1e5 ? String.format(Locale.ROOT, "%.3e", v) : String.format(Locale.ROOT, "%.4f", v);
    }

    /** A factor such as an lr scale, to 4 significant digits: 0.3333, 0.1111, 1. */
    public static String scale(double v) {
        return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** {@code decimals} digits after the point: fixed(0.123456, 4) is "0.1235"; NaN is "NaN". */
    public static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** A ratio or score in a table: 4 decimals, or "-" when there is none (NaN). */
    public static String ratio(double v) {
        return Double.isNaN(v) ? "-" : fixed(v, 4);
    }

    /** {@code digits} significant digits, switching to an exponent for very small or large values: "0.3000", "1.235e-05". */
    public static String significant(double v, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "g", v);
    }

    /** The exact value without exponent or trailing zeros, as one would type it: 0.1 as "0.1", 10.0 as "10", 1e-4 as "0.0001". */
    public static String plain(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** The shortest text that reads back as the same double, with a lowercase exponent (YAML 1.2 float syntax): 1.0e-05. */
    public static String exact(double v) {
        String s = Double.toString(v);
        int e = s.indexOf('E');
        return e < 0 ? s : s.substring(0, e) + "e" + s.substring(e + 1);
    }

    /** A fraction as a percentage "97.25%", or "-" when there is none. */
    public static String percent(double fraction) {
        return Double.isFinite(fraction) ? String.format(Locale.ROOT, "%.2f%%", 100 * fraction) : "-";
    }

    public static String rate(double perSecond) {
        return Double.isFinite(perSecond) ? count(Math.round(perSecond)) : "-";
    }

    /** Seconds as "12.3 s" below a minute, else "4:05" or "1:02:03". */
    public static String duration(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) return "-";
        if (seconds < 60) return String.format(Locale.ROOT, "%.1f s", seconds);
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /** A path as the user would type it from {@code workingDir}: relative below it, absolute elsewhere. */
    public static String path(Path p, Path workingDir) {
        Path abs = p.toAbsolutePath().normalize();
        Path wd = workingDir.toAbsolutePath().normalize();
        return abs.startsWith(wd) && !abs.equals(wd) ? wd.relativize(abs).toString() : abs.toString();
    }
}
