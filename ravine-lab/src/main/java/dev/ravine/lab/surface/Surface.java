package dev.ravine.lab.surface;

import dev.ravine.tensor.Tensor;

/**
 * A 2-D error surface f(x, y), written once with Ravine's tensor ops: element-wise, so the same expression gives the
 * loss of two 1-element parameter tensors (whose gradient autograd takes, as for any model) and the values of a whole
 * grid for the contour plot. With the region to draw, the usual start and the known minimum.
 */
public interface Surface {
    String name();

    /** The formula, as the page shows it. */
    String formula();

    /** f at every pair (x[i], y[i]); x and y of the same shape. */
    Tensor value(Tensor x, Tensor y);

    /** The drawn region: xMin, xMax, yMin, yMax. */
    double[] region();

    /** Where the optimizers start: x, y. */
    double[] start();

    /** A global minimum: x, y (where the contour plot marks it and distances are measured to). */
    double[] minimum();

    /** Whether the contour levels are logarithmic (surfaces whose values span decades: Rosenbrock, Beale). */
    default boolean logLevels() {
        return false;
    }
}
