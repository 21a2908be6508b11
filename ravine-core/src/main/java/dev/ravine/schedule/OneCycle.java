package dev.ravine.schedule;

/**
 * torch OneCycleLR: from max_lr / div_factor up to max_lr over pct_start * total_steps ticks, then down to
 * initial_lr / final_div_factor at tick total_steps - 1 (three_phase: down to initial_lr first, then to the minimum),
 * annealed by cosine or linearly. The optimizer's own lr is ignored, as in torch. Tick total_steps is torch's too: it
 * extrapolates the last phase one tick past its end (with cos back up from the minimum, with linear below it, possibly
 * negative) and raises only from tick total_steps + 1 on; here the value at total_steps is kept from then on.
 *
 * <p>With a {@link MomentumRange} (torch's cycle_momentum) the momentum runs the other way over the same phases:
 * max_momentum down to base_momentum while the lr rises, back up while it falls (three_phase: then held at
 * max_momentum). torch defaults cycle_momentum to true; here it is off unless asked for (null), so a one_cycle config
 * never changes an optimizer's momentum silently.
 */
public record OneCycle(double maxLr, long totalSteps, double pctStart, String annealStrategy, double divFactor, double finalDivFactor,
                       boolean threePhase, MomentumRange momentumRange) implements LrSchedule {
    public OneCycle {
        LrSchedule.require(totalSteps >= 1, "one_cycle: total_steps must be >= 1, got " + totalSteps);
        LrSchedule.require(pctStart >= 0 && pctStart <= 1, "one_cycle: pct_start must be in [0, 1], got " + pctStart);
        LrSchedule.require(annealStrategy.equals("cos") || annealStrategy.equals("linear"),
                "one_cycle: anneal_strategy must be cos or linear, got '" + annealStrategy + "'");
    }

    /** Without momentum cycling. */
    public OneCycle(double maxLr, long totalSteps, double pctStart, String annealStrategy, double divFactor, double finalDivFactor, boolean threePhase) {
        this(maxLr, totalSteps, pctStart, annealStrategy, divFactor, finalDivFactor, threePhase, null);
    }

    /** One phase: it ends at tick {@code end}, annealing from the first value of a pair to the second. */
    private record Phase(double end, double lrFrom, double lrTo, double momentumFrom, double momentumTo) {}

    private Phase[] phases() {
        double initial = maxLr / divFactor, min = initial / finalDivFactor;
        double top = momentumRange == null ? 0 : momentumRange.max(), bottom = momentumRange == null ? 0 : momentumRange.base();
        double up = pctStart * totalSteps - 1;
        if (!threePhase) return new Phase[] {new Phase(up, initial, maxLr, top, bottom), new Phase(totalSteps - 1, maxLr, min, bottom, top)};
        return new Phase[] {new Phase(up, initial, maxLr, top, bottom), new Phase(2 * pctStart * totalSteps - 2, maxLr, initial, bottom, top),
                new Phase(totalSteps - 1, initial, min, top, top)};
    }

    @Override
    public double lrAt(long t) {
        return at(t, true);
    }

    @Override
    public boolean cyclesMomentum() {
        return momentumRange != null;
    }

    @Override
    public double momentumAt(long t) {
        if (momentumRange == null) return LrSchedule.super.momentumAt(t);
        return at(t, false);
    }

    /** torch's get_lr: the phase holding the tick, annealed by the tick's fraction of it; the lr or the momentum. */
    private double at(long t, boolean lr) {
        Phase[] phases = phases();
        double step = Math.min(t, totalSteps), start = 0;
        for (int i = 0; i < phases.length; i++) {
            Phase p = phases[i];
            if (step <= p.end() || i == phases.length - 1) {
                double pct = (step - start) / (p.end() - start);
                return lr ? anneal(p.lrFrom(), p.lrTo(), pct) : anneal(p.momentumFrom(), p.momentumTo(), pct);
            }
            start = p.end();
        }
        throw new AssertionError();
    }

    private double anneal(double from, double to, double pct) {
        if (annealStrategy.equals("linear")) return (to - from) * pct + from;
        return to + (from - to) / 2.0 * (Math.cos(Math.PI * pct) + 1);
    }

    @Override
    public String describe() {
        return "one_cycle(max_lr " + maxLr + ", total_steps " + totalSteps + ", pct_start " + pctStart + ", " + annealStrategy
                + (threePhase ? ", three_phase" : "") + (momentumRange != null ? ", " + momentumRange.describe() : "") + ")";
    }
}
