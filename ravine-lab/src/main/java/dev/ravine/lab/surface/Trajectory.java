package dev.ravine.lab.surface;

import dev.ravine.lab.chart.SurfacePath;

/**
 * Where an optimizer went on a surface: the point before each step (index 0 is the start, the last index the point
 * after the last step), the loss there and the gradient's norm there. Stops early, shorter, when the loss left the
 * finite numbers ({@link #diverged}).
 */
public record Trajectory(String label, double[] x, double[] y, double[] loss, double[] gradNorm, boolean diverged) {
    public int points() {
        return x.length;
    }

    public double finalLoss() {
        return loss[loss.length - 1];
    }

    /** The first step after which the loss is at or below {@code target}, or -1 when it never got there. */
    public int stepsTo(double target) {
        for (int i = 0; i < loss.length; i++) if (loss[i] <= target) return i;
        return -1;
    }

    /** Euclidean distance from the last point to (mx, my). */
    public double finalDistance(double mx, double my) {
        return Math.hypot(x[x.length - 1] - mx, y[y.length - 1] - my);
    }

    public SurfacePath path() {
        return new SurfacePath(label, x, y);
    }
}
