package dev.ravine.lab.chart;

/** One curve of a {@link LineChart}: x and y values of the same length (NaN where there is none), and how to draw it. */
public record Series(String label, double[] x, double[] y, Style style) {
    public enum Style { LINE, POINTS, DASHED }

    public Series {
        if (x.length != y.length) throw new IllegalArgumentException("series " + label + " has " + x.length + " x values and " + y.length + " y values");
    }

    public static Series line(String label, double[] x, double[] y) {
        return new Series(label, x, y, Style.LINE);
    }

    public static Series points(String label, double[] x, double[] y) {
        return new Series(label, x, y, Style.POINTS);
    }

    public static Series dashed(String label, double[] x, double[] y) {
        return new Series(label, x, y, Style.DASHED);
    }
}
