package dev.ravine.doctor.probe;

/**
 * One arm of a probe (the changed run or the unchanged control) as measured: its loss on the fixed evaluation
 * samples before its first step and after its last, the steps it took, whether its training loss became non-finite,
 * and its wall time.
 */
public record ArmResult(double startLoss, double endLoss, int steps, boolean diverged, double seconds) {
    /** Progress made: how far the evaluation loss fell (negative when it rose); -infinity when the arm diverged. */
    public double gain() {
        if (diverged || !Double.isFinite(endLoss)) return Double.NEGATIVE_INFINITY;
        return startLoss - endLoss;
    }

    public boolean finite() {
        return !diverged && Double.isFinite(endLoss);
    }
}
