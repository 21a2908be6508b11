package dev.ravine.doctor.detect;

import static dev.ravine.doctor.detect.Readings.fmt;

import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Refutation;
import dev.ravine.doctor.finding.Severity;
import dev.ravine.doctor.instrument.StepReading;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A loss jump read as divergence (lr_too_high, BLOCKING) that the run came back from, leaving dead ReLUs behind: the
 * run's end (the median of its last third of losses) is below the loss it started from (or the chance loss, when the
 * initialization started above it) by more than {@link #LEVEL_BAND} (back at that level is back where nothing is learnt), so the steps no longer drive the loss up, while a
 * dead_relu problem (a WARNING: the dead units hold the loss up, they are no harmless note) that opened with or after
 * the jump still stands at the end. A divergence claims each step lands farther out than the last; a loss back under
 * its start says the jump is over, and what still holds the loss above what the model reaches is the units the jump
 * killed, which get no gradient to come back: Adagrad at lr 1.5 on four blobs jumped 3700x at step 3, came back to
 * 0.45x its start within 20 steps and stayed there with 62% of two layers dead, and at lr 0.05 (no jump, no dead layer)
 * it trained on. The jump is then the dead units' origin, named in their remedies (a lower rate), and is demoted; a
 * run that ends at its start's level or above (a CNN back at the chance loss after its jump, nothing learnt) keeps its
 * divergence. The caller judges only runs whose learning rate never changed: under a schedule the loss may have come
 * back because the rate fell.
 */
public final class DeadUnitsOutlastTheJump {
    private DeadUnitsOutlastTheJump() {}

    /**
     * How far below its start the end must be to have come back from the jump: the band loss_stuck_at_chance reads as
     * the chance level itself ({@link LossStuckAtChanceDetector}'s tolerance). AdaMax at lr 0.3 on the digits jumped,
     * came back to 0.991x its start and sat there at chance with its ReLUs dead, and AdamW at lr 0.3 on a CNN started at 2.65,
     * jumped 128x and came back to 2.33, 1.01x the chance loss: neither learnt anything after the jump.
     */
    static final double LEVEL_BAND = LossStuckAtChanceDetector.defaults().tolerance();

    /** The median of the last third of the run's finite step losses (NaN before any): where the run ended. */
    public static double endLoss(List<StepReading> history) {
        double[] loss = history.stream().mapToDouble(StepReading::loss).filter(Double::isFinite).toArray();
        if (loss.length == 0) return Double.NaN;
        return Readings.median(Arrays.copyOfRange(loss, loss.length - Math.max(1, loss.length / 3), loss.length));
    }

    /**
     * @param diverging the lr_too_high finding as it stands (null when none opened)
     * @param dead      the dead_relu finding as it stands (null when none opened)
     * @param deadOpen  whether dead_relu is still open at the run's end
     * @param firstLoss  the run's first loss
     * @param chanceLoss the chance-level loss (NaN when unknown)
     * @param endLoss    the median of the run's last third of finite losses
     */
    public static Optional<Refutation> judge(Finding diverging, Finding dead, boolean deadOpen, double firstLoss, double chanceLoss, double endLoss) {
        // the level that means nothing learnt: the first loss, or the chance loss when the initialization started above it
        double startLoss = chanceLoss > 0 ? Math.min(firstLoss, chanceLoss) : firstLoss;
        if (diverging == null || !diverging.id().equals("lr_too_high") || diverging.severity() != Severity.BLOCKING) return Optional.empty();
        if (dead == null || !dead.id().equals("dead_relu") || dead.severity() != Severity.WARNING || !deadOpen) return Optional.empty();
        if (dead.firstStep() < diverging.firstStep()) return Optional.empty(); // dead before the jump: dead_relu already ranks first
        if (!(endLoss < (1 - LEVEL_BAND) * startLoss)) return Optional.empty();
        return Optional.of(new Refutation("lr_too_high", List.of("the run came back from the jump read as divergence: it ended at "
                + fmt(endLoss) + " (median of its last third), " + fmt(endLoss / startLoss) + "x " + (startLoss < firstLoss ? "the chance loss " : "the loss it started from ") + fmt(startLoss)
                + ", while the ReLUs dead since step " + dead.firstStep() + " (layers " + String.join(", ", dead.layers()) + ") stayed dead to the"
                + " end: the steps no longer drive the loss up, the units the jump killed hold it (dead_relu, whose remedies lower the rate too)")));
    }
}
