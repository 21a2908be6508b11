package dev.ravine.doctor.probe;

import dev.ravine.doctor.detect.Readings;

/**
 * A probe as it ran (one row of run.db's probes table): the hypothesis, the step its start point holds (0 for the run's
 * start), the steps both arms were given, both arms, the effect size and speed-up ({@link EffectSize}) and the verdict. A skipped probe has no arms.
 */
public record ProbeOutcome(Hypothesis hypothesis, long fromStep, int steps, ArmResult control, ArmResult probe, double effect,
                           double speedup, ProbeVerdict verdict) {
    /** Both arms were given {@code steps} steps (an arm that diverged stopped sooner), as many as planned. */
    public static ProbeOutcome measured(Hypothesis h, long fromStep, int steps, ArmResult control, ArmResult probe, EffectSize rule) {
        return measured(h, fromStep, steps, steps, control, probe, rule);
    }

    /**
     * Both arms were given {@code steps} of the {@code planned} steps (fewer when the budget had no room for all). A
     * shortened probe can confirm its change but not refute it: a change that needs longer to show (inputs standardized
     * from the run's start, measured over 10 steps, lost to a learning rate tuned for the raw scale) did no better in a
     * few steps without being wrong, and a refutation demotes the finding it tested.
     */
    public static ProbeOutcome measured(Hypothesis h, long fromStep, int steps, int planned, ArmResult control, ArmResult probe,
            EffectSize rule) {
        ProbeVerdict verdict = rule.verdict(control, probe);
        if (verdict == ProbeVerdict.REFUTED && steps < planned) verdict = ProbeVerdict.INCONCLUSIVE;
        return new ProbeOutcome(h, fromStep, steps, control, probe, EffectSize.of(control, probe), EffectSize.speedup(control, probe), verdict);
    }

    public static ProbeOutcome skipped(Hypothesis h, long fromStep) {
        return new ProbeOutcome(h, fromStep, 0, null, null, Double.NaN, Double.NaN, ProbeVerdict.SKIPPED);
    }

    /** Seconds both arms took. */
    public double seconds() {
        return (control == null ? 0 : control.seconds()) + (probe == null ? 0 : probe.seconds());
    }

    /** The sentence a finding's evidence carries: the numbers a user can check in run.db's probes table. */
    public String describe() {
        String from = fromStep == 0 ? "from the run's start" : "from the snapshot of step " + fromStep;
        if (verdict == ProbeVerdict.SKIPPED) return "probe " + hypothesis.change() + " " + from + ": skipped, the probe budget was spent";
        String loss = probe.finite() ? Readings.fmt(probe.endLoss()) : "diverged at its step " + probe.steps();
        String base = control.finite() ? Readings.fmt(control.endLoss()) : "diverged at its step " + control.steps();
        String speed = Double.isNaN(speedup) ? "" : ", speed-up " + Readings.fmt(speedup) + "x";
        return "probe " + hypothesis.change() + " (" + hypothesis.remedy().change() + ") " + from + ", " + steps
                + " steps on the control's batches: loss " + loss + " against the unchanged control's " + base
                + " (effect ln(control/probe) " + effectText() + speed + "): " + verdict.id();
    }

    private String effectText() {
        if (effect == Double.POSITIVE_INFINITY) return "+inf, the control diverged";
        if (effect == Double.NEGATIVE_INFINITY) return "-inf, the probe diverged";
        return (effect >= 0 ? "+" : "") + Readings.fmt(effect);
    }
}
