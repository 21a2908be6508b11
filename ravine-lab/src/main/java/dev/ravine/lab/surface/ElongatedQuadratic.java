package dev.ravine.lab.surface;

import dev.ravine.tensor.Tensor;
import java.util.Locale;

/**
 * The ravine: f = (flat·x² + steep·y²) / 2, a convex bowl far more curved across (y) than along (x); its Hessian's
 * eigenvalues are {@code flat} and {@code steep}, and one learning rate cannot suit both. {@code region} is the drawn
 * xMin, xMax, yMin, yMax.
 */
public record ElongatedQuadratic(double flat, double steep, double[] start, double[] region) implements Surface {
    /** The ravine of the trajectory plots: curvatures 1 and 20 (condition number 20), from (-4.5, 1.2). */
    public static ElongatedQuadratic ravine() {
        return new ElongatedQuadratic(1, 20, new double[] {-4.5, 1.2}, new double[] {-5, 2, -1.75, 1.75});
    }

    @Override
    public String name() {
        return "ravine";
    }

    @Override
    public String formula() {
        return String.format(Locale.ROOT, "f(x, y) = (%s·x² + %s·y²) / 2", trim(flat), trim(steep));
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    @Override
    public Tensor value(Tensor x, Tensor y) {
        return x.square().mul((float) (flat / 2)).add(y.square().mul((float) (steep / 2)));
    }

    @Override
    public double[] minimum() {
        return new double[] {0, 0};
    }
}
