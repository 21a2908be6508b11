package dev.ravine.doctor.detect;

/**
 * How often the updates along one curved direction change sign when they ring, for SGD with heavy-ball momentum
 * {@code beta} (dampening {@code dampening}, so each gradient enters the velocity times 1 - dampening). On a quadratic
 * with curvature h along the direction, x_{t+1} = x_t - a x_t + beta (x_t - x_{t-1}) with a = (1 - dampening) lr h, whose
 * characteristic roots solve r^2 - c r + beta = 0, c = 1 + beta - a:
 * <ul>
 *   <li>complex roots (c^2 < 4 beta): x_t = beta^(t/2) A cos(theta t + phi) with cos theta = c / (2 sqrt beta). The phase
 *       turns by theta per step and the sign changes at every half turn, so a share theta / pi of successive updates
 *       (differences of a sinusoid of the same frequency) flip sign;</li>
 *   <li>real roots, both negative (c <= -2 sqrt beta): every step lands on the other side, every pair flips;</li>
 *   <li>real roots, both positive (c >= 2 sqrt beta): an overdamped slide, no flips.</li>
 * </ul>
 * Plain gradient descent is beta = 0: c = 1 - lr h, one flip per step past lr h = 1, none below. Under momentum the
 * bounce of a ravine is this rotation: heavy ball at beta 0.8 and lr x sharpness 3 turns by 0.73 pi a step, so even a
 * clean ringing flips in only about 3 of 4 pairs, and a test that asks for the flips of gradient descent misses it.
 */
public record HeavyBallRing(double beta, double dampening) {
    public HeavyBallRing {
        if (!(beta >= 0 && beta < 1)) throw new IllegalArgumentException("momentum must lie in [0, 1), got " + beta);
        if (!(dampening >= 0 && dampening < 1)) throw new IllegalArgumentException("dampening must lie in [0, 1), got " + dampening);
    }

    /** Plain gradient descent (no momentum). */
    public static final HeavyBallRing NONE = new HeavyBallRing(0, 0);

    /**
     * The share of successive updates along the direction that flip sign while it rings, for a step of
     * {@code lrTimesCurvature} = lr x h (the clip's scale included): theta / pi, 1 or 0 as above; NaN for a non-finite step.
     */
    public double flipShare(double lrTimesCurvature) {
        if (!Double.isFinite(lrTimesCurvature)) return Double.NaN;
        double c = 1 + beta - (1 - dampening) * lrTimesCurvature;
        double edge = 2 * Math.sqrt(beta);
        if (c <= -edge) return 1;
        if (c >= edge) return 0;
        return rotation(c) / Math.PI;
    }

    /** The rotation angle theta of the two-step map per step, for complex roots (|c| < 2 sqrt beta). */
    private double rotation(double c) {
        return Math.acos(Math.max(-1, Math.min(1, c / (2 * Math.sqrt(beta)))));
    }

    /** Whether there is momentum at all (beta above 0). */
    public boolean moving() {
        return beta > 0;
    }
}
