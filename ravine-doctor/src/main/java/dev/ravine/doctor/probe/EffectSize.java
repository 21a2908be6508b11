package dev.ravine.doctor.probe;

/**
 * The rule that turns a probe and its control (same start, same batches, same number of steps) into a verdict. The
 * effect size is {@code ln(control loss / probe loss)} on the same evaluation samples after the last step: 0 when the
 * change did nothing, +0.69 when it halved the loss, +infinity when the control diverged and the probe did not. It is
 * scale-free (a ratio of the run's own losses), so one threshold serves a regression at 1e-4 and a classifier at 2.3.
 * A learning rate far too low moves the loss so little in a short probe that the ratio stays near 1 even when the
 * change works; the speed-up (the probe's fall of the loss over the control's) catches that case. A change is refuted
 * only when it did no better on either count.
 *
 * @param confirmRatio the loss ratio (control over probe) at or above which the change is confirmed
 * @param confirmSpeedup the speed-up at or above which a change that lowered the loss at all is confirmed
 */
public record EffectSize(double confirmRatio, double confirmSpeedup) {
    public static EffectSize defaults() {
        return new EffectSize(1.1, 2.0);
    }

    /** ln(control / probe): +infinity when only the control diverged, -infinity when only the probe did, 0 when both did. */
    public static double of(ArmResult control, ArmResult probe) {
        if (!control.finite() && !probe.finite()) return 0;
        if (!control.finite()) return Double.POSITIVE_INFINITY;
        if (!probe.finite()) return Double.NEGATIVE_INFINITY;
        double c = Math.max(control.endLoss(), Double.MIN_NORMAL);
        double p = Math.max(probe.endLoss(), Double.MIN_NORMAL);
        return Math.log(c / p);
    }

    /** The probe's fall of the evaluation loss over the control's; NaN unless both fell. */
    public static double speedup(ArmResult control, ArmResult probe) {
        double gc = control.gain(), gp = probe.gain();
        return gc > 0 && gp > 0 ? gp / gc : Double.NaN;
    }

    public ProbeVerdict verdict(ArmResult control, ArmResult probe) {
        double effect = of(control, probe);
        if (effect >= Math.log(confirmRatio)) return ProbeVerdict.CONFIRMED;
        double speedup = speedup(control, probe);
        if (effect > 0 && speedup >= confirmSpeedup) return ProbeVerdict.CONFIRMED;
        // refuted only when the change did no better on both counts: a lower end loss, or a faster fall from its own
        // start (a change of the initial weights starts the probe elsewhere, so its end loss alone can mislead)
        boolean noFaster = !(speedup >= 1);
        return effect <= 0 && noFaster ? ProbeVerdict.REFUTED : ProbeVerdict.INCONCLUSIVE;
    }
}
