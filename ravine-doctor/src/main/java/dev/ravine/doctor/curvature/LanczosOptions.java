package dev.ravine.doctor.curvature;

/**
 * Lanczos settings: at most {@code steps} Krylov vectors (clamped to the dimension); the Ritz pair counts as
 * converged when ||H y - theta y|| <= {@code residualTolerance} * max|Ritz value|.
 */
public record LanczosOptions(int steps, double residualTolerance, long seed) {
    public LanczosOptions {
        if (steps < 1) throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        if (!(residualTolerance > 0)) throw new IllegalArgumentException("residualTolerance must be > 0, got " + residualTolerance);
    }
}
