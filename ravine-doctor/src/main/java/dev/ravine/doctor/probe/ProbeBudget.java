package dev.ravine.doctor.probe;

/**
 * The training the doctor's counterfactual probes may do: at most {@code share} of the run's steps, counted in steps
 * (each arm's step is one step of the run's model on one of its batches, so it costs about what a run step costs), so
 * that which probes fit does not depend on the machine's load. It was a share of the wall time, and on the shared
 * machine which probes ran varied from run to run of the same config. The run's steps are those it plans to take, or
 * those it took when it ends early ({@link #project}). The wall time the probes took (building their forks included)
 * is still measured ({@link #spend}) and reported as summary.json's {@code probe_share}; the end-of-run reference
 * networks are bounded on their own (each is trained like the run, so it costs about the run's steps and would not
 * fit a tenth of it). Not thread-safe: the training thread owns it.
 */
public final class ProbeBudget {
    private final double share;
    private long projectedSteps;
    private long spentSteps;
    private double spentSeconds;

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
     * The run's steps as known now: {@code stepsSoFar} taken plus {@code stepsLeft} still to come (0 when a non-finite
     * loss ends it here). The projection only grows: a probe already run was allowed by the larger one.
     */
    public void project(long stepsSoFar, long stepsLeft) {
        projectedSteps = Math.max(projectedSteps, Math.max(0, stepsSoFar) + Math.max(0, stepsLeft));
    }

    /**
     * A fifth of the share is held back for what a probe costs beyond its arms' steps: building its fork (for a change
     * of the data, reading the data again) and the evaluations before and after each arm. Measured on fashion-mlp at
     * lr 0.1 without it: 42 of 42 steps used, and a wall-time share of 0.107.
     */
    static final double RESERVE = 0.2;

    /** The probes' steps allowed in all: share of the run's steps less the reserve, rounded down. */
    public long allowedSteps() {
        return (long) Math.floor((1 - RESERVE) * share * projectedSteps);
    }

    public long remainingSteps() {
        return Math.max(0, allowedSteps() - spentSteps);
    }

    /**
     * How many steps each of {@code arms} arms may train, up to {@code wanted}; 0 when fewer than {@code minimum} fit
     * (a probe that short measures noise, and is skipped).
     */
    public int stepsThatFit(int wanted, int minimum, int arms) {
        if (arms < 1) throw new IllegalArgumentException("a probe trains at least one arm, got " + arms);
        int fit = (int) Math.min(wanted, remainingSteps() / arms);
        return fit >= minimum ? fit : 0;
    }

    /** Steps an arm trained, counted against the budget. */
    public void spendSteps(long steps) {
        spentSteps += Math.max(0, steps);
    }

    public long spentSteps() {
        return spentSteps;
    }

    /** Wall time the probes took, for the share summary.json reports (no part of the budget). */
    public void spend(double seconds) {
        spentSeconds += Math.max(0, seconds);
    }

    public double spentSeconds() {
        return spentSeconds;
    }
}
