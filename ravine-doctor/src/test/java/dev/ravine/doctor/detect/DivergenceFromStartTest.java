package dev.ravine.doctor.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.RunFacts;
import dev.ravine.doctor.finding.Severity;
import dev.ravine.doctor.instrument.LayerReading;
import dev.ravine.doctor.instrument.StepReading;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/** lr_too_high and lr_too_low judged against the run's own start (its first loss and the chance loss). */
class DivergenceFromStartTest {
    private static final RunFacts THREE_CLASSES = new RunFacts(0.5, "sgd", 3, List.of("linear"));

    /** Every step's loss; a full reading (update/weight ratio {@code ratio}) every 10th step. */
    private static List<StepReading> steps(int n, IntToDoubleFunction loss, double ratio) {
        List<StepReading> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            boolean full = i % 10 == 0;
            out.add(new StepReading(i, 0, loss.applyAsDouble(i), full, 1, full ? List.of(new LayerReading("0", 1, 10, 10 * ratio, ratio, 0)) : List.of(),
                    List.of()));
        }
        return out;
    }

    @Test
    void aLossThatOverflowsWithinEightStepsIsTooHighALearningRateFromTheFirstSteps() {
        List<StepReading> w = steps(8, i -> i < 8 ? 1.1 * Math.pow(40, i - 1) : Double.NaN, 0.5);
        Finding f = LrTooHighDetector.defaults().examine(w, THREE_CLASSES.withFirstLoss(1.1)).orElseThrow();
        assertEquals(Severity.BLOCKING, f.severity());
        assertEquals(1, f.firstStep());
        assertTrue(f.evidence().get(0).startsWith("loss NaN at step 8"), f.evidence().toString());
        assertTrue(f.evidence().get(1).contains("40x in one step") && f.evidence().get(1).contains("began at step 1"), f.evidence().toString());
    }

    @Test
    void aLossGrowingFourfoldOrMorePerStepNeedsATenthOfTheStepNotAThird() {
        // 40x per step: lr * curvature = 1 + sqrt(40) ~ 7.3, a third of it still beyond the stability limit of 2
        List<StepReading> fast = steps(8, i -> i < 8 ? 1.1 * Math.pow(40, i - 1) : Double.NaN, 0.5);
        Finding f = LrTooHighDetector.defaults().examine(fast, THREE_CLASSES.withFirstLoss(1.1)).orElseThrow();
        assertEquals("optimizer.lr: 0.5 -> 0.05", f.remedies().getFirst().change());
        assertEquals("optimizer.lr: 0.5 -> 0.1667", f.remedies().get(1).change());
        // 2x per step: lr * curvature ~ 2.4, a third of it well inside
        List<StepReading> slow = steps(8, i -> i < 8 ? 1.1 * Math.pow(2, i - 1) : Double.NaN, 0.5);
        Finding g = LrTooHighDetector.defaults().examine(slow, THREE_CLASSES.withFirstLoss(1.1)).orElseThrow();
        assertEquals("optimizer.lr: 0.5 -> 0.1667", g.remedies().getFirst().change());
    }

    @Test
    void aLossStuckFiveTimesAboveItsStartIsADivergenceButOnlyWithLargeUpdates() {
        List<StepReading> w = steps(60, i -> i < 5 ? 1.1 : 5.5 + 0.5 * (i % 2), 0.1);
        // a loss that bounces above twice its start for a few steps only is not staying there
        assertTrue(LrTooHighDetector.defaults().examine(steps(60, i -> i > 50 && i < 56 ? 2.5 : 1.0, 0.1), THREE_CLASSES.withFirstLoss(1.1)).isEmpty());
        assertTrue(LrTooHighDetector.defaults().examine(w, THREE_CLASSES.withFirstLoss(1.1)).isPresent());
        assertTrue(LrTooHighDetector.defaults().examine(steps(60, i -> i < 5 ? 1.1 : 5.5, 1e-4), THREE_CLASSES.withFirstLoss(1.1)).isEmpty());
    }

    @Test
    void aHugeFirstLossIsNoSaneStartSoItsGrowthIsLeftToTheInitializationFindings() {
        List<StepReading> w = steps(8, i -> i < 8 ? 1e6 * i : Double.NaN, 0.5);
        assertTrue(LrTooHighDetector.defaults().examine(w, THREE_CLASSES.withFirstLoss(1e6)).isEmpty());
    }

    @Test
    void aConvergedRunWhoseTinyLossJumpsIsNotDiverging() {
        // 1e-12 -> 1e-9 is a thousandfold rise of the window's loss, far below the run's first loss
        List<StepReading> w = steps(60, i -> i < 30 ? 1e-12 : 1e-9, 0.05);
        assertTrue(LrTooHighDetector.defaults().examine(w, new RunFacts(0.5, "sgd", 0, List.of("linear")).withFirstLoss(0.7)).isEmpty());
    }

    @Test
    void tooLowALearningRateIsSeenThroughMiniBatchNoise() {
        // the loss hovers at chance +-20% batch to batch: two single losses can differ by 40%, the medians do not move
        List<StepReading> w = steps(100, i -> Math.log(3) * (1 + 0.2 * Math.sin(i * 2.1)), 1e-6);
        Finding f = LrTooLowDetector.defaults().examine(w, THREE_CLASSES.withFirstLoss(1.3)).orElseThrow();
        assertEquals("lr_too_low", f.id());
        // the same tiny updates on a run that got far below its start are a converged run, not a slow one
        assertTrue(LrTooLowDetector.defaults().examine(steps(100, i -> 0.01 * (1 + 0.2 * Math.sin(i * 2.1)), 1e-6), THREE_CLASSES.withFirstLoss(1.3))
                .isEmpty());
    }
}
