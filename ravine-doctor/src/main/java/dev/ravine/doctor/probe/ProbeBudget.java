package dev.ravine.doctor.probe;

/**
 * The time the doctor's counterfactual probes may take: at most {@code share} of the run's wall time (the end-of-run
 * reference networks are bounded on their own: each is trained like the run, so it costs about the run's steps and
 * would not fit a tenth of it). The run's time is not known until it ends, so the budget is taken against
 * what the run will have cost by its end at its pace so far (time spent plus the steps left at the mean step time),
 * and the probes count into the run's time as they spend. A probe asks before it starts how many steps fit; one that
 * would get fewer than its minimum is skipped. Not thread-safe: the training thread owns it.
 */
public final class ProbeBudget {
    private final double share;
    private double spentSeconds;
    private double projectedRunSeconds;

    public ProbeBudget(double share) {
        if (!(share > 0 && share < 1)) throw new IllegalArgumentException("the probe budget's share must be in (0, 1), got " + share);
        this.share = share;
    }

    public static final double SHARE = 0.10;

    public static ProbeBudget defaults() {
        return new ProbeBudget(SHARE);
    }

    public double share() {
        return share;
    }

    /**
     * The run's time without the experiments, as projected now ({@code elapsed} seconds so far, probes excluded, plus
     * {@code stepsLeft} at {@code stepSeconds} each). The projection only grows: a run that sped up keeps the budget it
     * was promised, and the share reported at the end is measured, not projected.
     */
    public void project(double elapsedSeconds, long stepsLeft, double stepSeconds) {
        projectedRunSeconds = Math.max(projectedRunSeconds, elapsedSeconds + Math.max(0, stepsLeft) * stepSeconds);
    }

    /**
     * A fifth of the budget is held back: a probe checks its deadline between steps, and its last step and final
     * evaluation run past it.
     */
    static final double RESERVE = 0.2;

    /** Seconds still free: share of (the run's time + the experiments'), less the reserve, less what they spent. */
    public double remainingSeconds() {
        double allowed = (1 - RESERVE) * share / (1 - share) * projectedRunSeconds;
        return Math.max(0, allowed - spentSeconds);
    }

    /** How many steps of {@code stepSeconds} fit, up to {@code wanted}; 0 when fewer than {@code minimum} would. */
    public int stepsThatFit(int wanted, int minimum, double stepSeconds) {
        return stepsThatFit(wanted, minimum, stepSeconds, 0);
    }

    /**
     * As {@link #stepsThatFit(int, int, double)} for a probe that has already used {@code pendingSeconds} not yet spent
     * (building its fork: for a change of the data, reading the data again), which its steps cannot have too.
     */
    public int stepsThatFit(int wanted, int minimum, double stepSeconds, double pendingSeconds) {
        if (!(stepSeconds > 0)) return 0;
        int fit = (int) Math.min(wanted, Math.floor(Math.max(0, remainingSeconds() - Math.max(0, pendingSeconds)) / stepSeconds));
        return fit >= minimum ? fit : 0;
    }

    public void spend(double seconds) {
        spentSeconds += Math.max(0, seconds);
    }

    public double spentSeconds() {
        return spentSeconds;
    }
}
