package dev.ravine.doctor.curvature;

/**
 * The loss sampled along a line theta + t v.
 *
 * @param baseLoss the loss at t = 0
 * @param steps    the step sizes t
 * @param losses   the loss at theta + steps[i] v
 */
public record LossAlongDirection(double baseLoss, double[] steps, double[] losses) {
    /** baseLoss - losses[i]: positive where the step lowers the loss. */
    public double decrease(int i) {
        return baseLoss - losses[i];
    }

    /** The largest decrease over the sampled steps (negative if every step raises the loss). */
    public double largestDecrease() {
        double best = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < losses.length; i++) best = Math.max(best, decrease(i));
        return best;
    }

    /** Whether some sampled step lowers the loss: the direction is a way out. */
    public boolean descends() {
        return largestDecrease() > 0;
    }
}
