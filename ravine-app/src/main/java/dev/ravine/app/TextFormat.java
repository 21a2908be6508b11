package dev.ravine.app;

import java.nio.file.Path;
import java.util.Locale;

/** How the command writes numbers, rates and durations, the same way in every line it prints. */
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

    /** A fraction as a percentage "97.25%", or "-" when there is none. */
    /** A factor such as an lr scale, to 4 significant digits: 0.3333, 0.1111, 1. */
    public static String scale(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

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
