package dev.ravine.lab.chart;

/** One optimizer's path over a {@link ContourChart}: the points it visited, in order, starting at the initial point. */
public record SurfacePath(String label, double[] x, double[] y) {
    public SurfacePath {
        if (x.length != y.length || x.length == 0) {
            throw new IllegalArgumentException("path " + label + " needs as many x as y values, at least one; got " + x.length + " and " + y.length);
        }
    }
}
