package dev.ravine.schedule;

/**
 * torch OneCycleLR (the lr part; cycle_momentum is not supported): from max_lr / div_factor up to max_lr over
 * pct_start * total_steps ticks, then down to initial_lr / final_div_factor at tick total_steps - 1 (three_phase: down
 * to initial_lr first, then to the minimum), annealed by cosine or linearly. The optimizer's own lr is ignored, as
 * in torch. Tick total_steps is torch's too: it extrapolates the last phase one tick past its end (with cos back up
 * from the minimum, with linear below it, possibly negative) and raises only from tick total_steps + 1 on; here the
 * value at total_steps is kept from then on.
 */
public record OneCycle(double maxLr, long totalSteps, double pctStart, String annealStrategy, double divFactor, double finalDivFactor,
                       boolean threePhase) implements LrSchedule {
    public OneCycle {
        LrSchedule.require(totalSteps >= 1, "one_cycle: total_steps must be >= 1, got " + totalSteps);
        LrSchedule.require(pctStart >= 0 && pctStart <= 1, "one_cycle: pct_start must be in [0, 1], got " + pctStart);
        LrSchedule.require(annealStrategy.equals("cos") || annealStrategy.equals("linear"),
                "one_cycle: anneal_strategy must be cos or linear, got '" + annealStrategy + "'");
    }

    @Override
    public double lrAt(long t) {
        double initial = maxLr / divFactor, min = initial / finalDivFactor;
        double[][] phases = threePhase
                ? new double[][] {{pctStart * totalSteps - 1, initial, maxLr}, {2 * pctStart * totalSteps - 2, maxLr, initial},
                        {totalSteps - 1, initial, min}}
                : new double[][] {{pctStart * totalSteps - 1, initial, maxLr}, {totalSteps - 1, maxLr, min}};
        double step = Math.min(t, totalSteps), start = 0;
        for (int i = 0; i < phases.length; i++) {
            double end = phases[i][0];
            if (step <= end || i == phases.length - 1) {
                double pct = (step - start) / (end - start);
                return anneal(phases[i][1], phases[i][2], pct);
            }
            start = end;
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
                + (threePhase ? ", three_phase" : "") + ")";
    }
}
