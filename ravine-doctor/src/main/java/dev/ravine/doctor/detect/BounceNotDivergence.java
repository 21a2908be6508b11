package dev.ravine.doctor.detect;

import static dev.ravine.doctor.detect.Readings.fmt;

import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Refutation;
import dev.ravine.doctor.finding.Severity;
import java.util.List;
import java.util.Optional;

/**
 * A loss rise read as divergence (lr_too_high, BLOCKING) that the run itself contradicts: the rise ended (the finding
 * closed), a ravine was read after it (the plateau analysis found the iterate bouncing across a direction inside the
 * optimizer's stability edge, or no edge known), and the run ended below the loss it started from. A divergence claims
 * each step lands farther out than the last; a loss that came back below its start, with the walls measured inside the
 * edge, was the ravine's bounce ringing up and settling: heavy-ball SGD (momentum 0.8, lr 1.5) on a condition-6000
 * regression rose 2.8x in its first 40 steps, was read a ravine at step 76 (sharpness 0.83x the edge) and ended at
 * 0.9x its first loss, and whitening alone, at the same learning rate, trained it to 1e-8. The rise is then a symptom of
 * the ravine and is demoted; while it is still open, or when the run ends at or above its start, it stands. The caller
 * judges only runs whose learning rate never changed: under a schedule the rise may have ended because the rate did.
 */
public final class BounceNotDivergence {
    private BounceNotDivergence() {}

    /**
     * @param diverging  the lr_too_high finding as it stands
     * @param stillOpen  whether it is still open at the run's end
     * @param ravine     the ravine finding as it stands (null when none opened)
     * @param firstLoss  the run's first loss
     * @param endLoss    the median of the run's last losses
     */
    public static Optional<Refutation> judge(Finding diverging, boolean stillOpen, Finding ravine, double firstLoss, double endLoss) {
        if (diverging == null || !diverging.id().equals("lr_too_high") || diverging.severity() != Severity.BLOCKING || stillOpen) return Optional.empty();
        if (ravine == null || !ravine.id().equals("ravine") || ravine.severity() == Severity.INFO) return Optional.empty();
        if (!(ravine.lastStep() > diverging.lastStep())) return Optional.empty();
        if (!(endLoss < firstLoss)) return Optional.empty();
        return Optional.of(new Refutation("lr_too_high", List.of("the rise read as divergence ended by step " + diverging.lastStep()
                + ", a ravine inside the optimizer's stability edge was read after it (step " + ravine.lastStep() + "), and the run ended at "
                + fmt(endLoss) + ", " + fmt(endLoss / firstLoss) + "x its first loss " + fmt(firstLoss)
                + ": the loss came back, so the rise was the bounce across the ravine's walls, not steps that diverge")));
    }
}
