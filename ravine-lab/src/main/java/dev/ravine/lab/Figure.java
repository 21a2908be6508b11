package dev.ravine.lab;

import java.util.Locale;

/**
 * One measured number of a lab: a key (stable, for the JSON and the tests), a label for the page, the value and its
 * unit (empty when it has none).
 */
public record Figure(String key, String label, double value, String unit) {
    public static Figure of(String key, String label, double value) {
        return new Figure(key, label, value, "");
    }

    /** The value as the page and the terminal show it: four significant digits, then the unit. */
    public String formatted() {
        String v;
        if (Double.isNaN(value) || Double.isInfinite(value)) v = String.valueOf(value);
        else if (value == Math.rint(value) && Math.abs(value) < 1e9) v = String.valueOf((long) value);
        else if (Math.abs(value) >= 1e5 || Math.abs(value) < 1e-3) v = String.format(Locale.ROOT, "%.3e", value);
        else v = String.format(Locale.ROOT, "%.4g", value);
        return unit.isEmpty() ? v : v + " " + unit;
    }
}
