package dev.ravine.doctor.curvature;

/**
 * Stopping rule and seed of a power iteration: stop once the eigenvalue estimate changes by less than
 * {@code relativeTolerance} relative to its size, or after {@code maxIterations} products.
 */
public record PowerIterationOptions(int maxIterations, double relativeTolerance, long seed) {
    public PowerIterationOptions {
        if (maxIterations < 1) throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
        if (!(relativeTolerance > 0)) throw new IllegalArgumentException("relativeTolerance must be > 0, got " + relativeTolerance);
    }

    /** Cockpit's HessMaxEV defaults (maxiter 100, rtol 1e-3): cheap, eigenvalue to about three digits. */
    public static PowerIterationOptions cockpitDefaults(long seed) {
        return new PowerIterationOptions(100, 1e-3, seed);
    }
}
