package dev.ravine.doctor.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    void aJumpOfAHundredfoldInARunTooShortForSixFullReadingsIsStillADivergence() {
        // fresh2-lr-high-adamw-cnn: 38 steps read in full every 10 (3 full readings), 2.646 at step 1, 338 at step 2, then
        // back near chance; with ten classes the start is sane
        RunFacts tenClasses = new RunFacts(0.3, "adamw", 10, List.of("conv2d", "relu", "maxpool", "flatten", "linear")).withFirstLoss(2.646);
        IntToDoubleFunction jump = i -> i == 1 ? 2.646 : i == 2 ? 338.1 : i == 3 ? 102 : i == 4 ? 159 : i == 5 ? 59.7 : 2.4;
        Finding f = LrTooHighDetector.defaults().examine(steps(38, jump, 0.05), tenClasses).orElseThrow();
        assertEquals(Severity.BLOCKING, f.severity());
        assertTrue(f.evidence().getFirst().startsWith("loss jumped to 338.1 at step 2"), f.evidence()::toString);
        // the rules that read update ratios still wait for six full readings: a flipping loss in 38 steps is not judged
        IntToDoubleFunction flipping = i -> i % 2 == 0 ? 3.0 : 1.0;
        assertTrue(LrTooHighDetector.defaults().examine(steps(38, flipping, 0.05), tenClasses).isEmpty());
    }

    @Test
    void oneSamplesLossInBatchesOfOneIsJudgedAgainstTheWindowsOwnSpreadNotItsFirstLosses() {
        // fresh2-ctl-batch-one-sgd: a converged run on blobs, one sample a step; its losses span 0.0003-0.8 (a sample
        // misclassified now and then), the window began at 0.0038, and one sample scored 1.68 (444x that) at its end
        RunFacts blobs = new RunFacts(0.02, "sgd", 3, List.of("linear", "relu", "linear")).withFirstLoss(1.3);
        double[] spread = {0.04, 0.0057, 0.82, 0.027, 0.03, 0.0068, 0.0038, 0.10, 0.013, 0.0018, 0.0003, 0.0012};
        IntToDoubleFunction perSample = i -> i == 120 ? 1.68 : i <= 3 ? 0.0038 + 1e-4 * i : spread[i % spread.length];
        assertTrue(LrTooHighDetector.defaults().examine(steps(120, perSample, 1.5e-4), blobs).isEmpty(), "a routine sample's loss");
        // the same window whose one step jumped 100x above what its samples routinely reach is a divergence
        IntToDoubleFunction jumped = i -> i == 120 ? 500.0 : i <= 3 ? 0.0038 + 1e-4 * i : spread[i % spread.length];
        Finding f = LrTooHighDetector.defaults().examine(steps(120, jumped, 1.5e-4), blobs).orElseThrow();
        assertTrue(f.evidence().getFirst().startsWith("loss jumped to 500"), f.evidence()::toString);
        // the window slid on until a misclassified sample is its first reading: no jump, nothing before it
        IntToDoubleFunction slid = i -> i == 1 ? 2.049 : spread[i % spread.length] / 100;
        assertTrue(LrTooHighDetector.defaults().examine(steps(120, slid, 1.5e-4), blobs).isEmpty(), "the window's first reading");
        // a window restarted by a rollback: three easy samples, then a hard one 108x them at its eighth step, under the run's start
        IntToDoubleFunction restarted = i -> i == 7 ? 0.5528 : i <= 3 ? 0.0051 : spread[i % spread.length] / 10;
        assertTrue(LrTooHighDetector.defaults().examine(steps(60, restarted, 1.5e-4), blobs).isEmpty(), "judged against the run's start");
        // the window slid to ten easy samples before a hard one (3.08, 288x them): too few to read the spread from
        IntToDoubleFunction tenBefore = i -> i == 11 ? 3.08 : i <= 10 ? 0.0107 : spread[i % spread.length];
        assertTrue(LrTooHighDetector.defaults().examine(steps(120, tenBefore, 1.5e-4), blobs).isEmpty(), "ten easy samples are no spread");
        double[] before = new double[60];
        for (int i = 0; i < before.length; i++) before[i] = i % 10 == 0 ? 0.82 : 0.1;
        assertEquals(0.1, LrTooHighDetector.routineLevel(before, 60), 1e-12, "the upper decile: one loss in ten at 0.82 is its edge");
        before[1] = 0.82;
        assertEquals(0.82, LrTooHighDetector.routineLevel(before, 60), 1e-12, "more than one in ten at 0.82");
        assertTrue(Double.isNaN(LrTooHighDetector.routineLevel(before, 49)), "fewer than 50 losses before the peak");
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
    void aBatchOfOneWhoseRightSamplesScoreZeroIsJudgedAgainstTheRunsStart() {
        // one sample a batch: 0 on each sample it gets right; from step 41 the wrong ones score 1e5, every ReLU dead
        // (update ratio 0), so only the jump can tell; the window's start is 0, the run's ln 3
        List<StepReading> w = steps(60, i -> i % 2 == 0 ? 0.0 : i < 41 ? 1.0 : 1e5, 0);
        Finding f = LrTooHighDetector.defaults().examine(w, THREE_CLASSES.withFirstLoss(1.0)).orElseThrow();
        assertTrue(f.evidence().getFirst().contains("its starting value or the level its batches routinely reached before, 1.099"), f.evidence().toString());
        // a healthy batch of one: zeros and wrong samples up to 5 (under 100x the start) stay quiet
        assertTrue(LrTooHighDetector.defaults().examine(steps(60, i -> i % 2 == 0 ? 0.0 : 1 + (i % 5), 0), THREE_CLASSES.withFirstLoss(1.0)).isEmpty());
    }

    @Test
    void anAdaptiveRunThatBlewUpFromItsStartAndRecoveredIsNotOneThatWasTrainingWell() {
        // the run's own numbers: RMSprop on a GRU, 1.33 -> 4147 at step 4, then down to about 0.17 from step 10 on
        double[] start = {1.335, 163.7, 604.4, 4147, 639.1, 38.47, 3.107, 0.391, 0.198, 0.133};
        List<StepReading> w = steps(60, i -> i <= start.length ? start[i - 1] : 0.17 + 0.05 * (i % 3), 0.002);
        RunFacts rmsprop = new RunFacts(0.1, "rmsprop", 0, List.of("gru", "linear")).withFirstLoss(1.335);
        assertFalse(AdaptiveSpikeDetector.ownsRise(w, rmsprop), "its low came after the blow-up");
        assertTrue(LrTooHighDetector.defaults().examine(w, List.of(), rmsprop).isPresent());
        // trained well first (1.3 -> 1e-3), then spiking: the adaptive spike's
        List<StepReading> late = steps(60, i -> i < 40 ? 1.335 * Math.pow(0.8, i) : 1e-3 * (i - 38), 0.002);
        assertTrue(AdaptiveSpikeDetector.ownsRise(late, rmsprop));
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

    @Test
    void aLossGrowingTenfoldPerStepIsJudgedAtTheFirstFullReadingASlowerRiseIsNot() {
        double[] fast = {1.1, 11, 110, 1100, 50, 30, 20, 20, 20, 20};
        Finding f = LrTooHighDetector.defaults().examine(steps(10, i -> fast[i - 1], 0.5), THREE_CLASSES.withFirstLoss(1.1)).orElseThrow();
        assertEquals(1, f.firstStep(), "named from the run's first step, before the dead units it leaves");
        double[] slow = {1.1, 2.2, 4.4, 8.8, 5, 5, 5, 5, 5, 5};
        assertTrue(LrTooHighDetector.defaults().examine(steps(10, i -> slow[i - 1], 0.5), THREE_CLASSES.withFirstLoss(1.1)).isEmpty(),
                "a 2x rise needs 15 losses to be judged");
    }

    /** 50 steps, a full reading every 10th: layer 0's gradient norm {@code grad0} at each reading, layer 1 alive. */
    private static List<StepReading> twoLayers(IntToDoubleFunction loss, IntToDoubleFunction grad0, double ratio) {
        List<StepReading> out = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            boolean full = i % 10 == 0;
            List<LayerReading> layers = full ? List.of(new LayerReading("0", grad0.applyAsDouble(i), 10, 10 * ratio, ratio, 0),
                    new LayerReading("1", 1, 10, 10 * ratio, ratio, 0)) : List.of();
            out.add(new StepReading(i, 0, loss.applyAsDouble(i), full, 1, layers, List.of()));
        }
        return out;
    }

    @Test
    void stepsThatSilenceALayerAliveAtTheStartWithNothingLearnedAreTooHighALearningRate() {
        IntToDoubleFunction chance = i -> Math.log(3) * (1 + 0.05 * Math.sin(i));
        IntToDoubleFunction diesAt30 = i -> i < 30 ? 1 : 0;
        Finding f = LrTooHighDetector.defaults().examine(twoLayers(chance, diesAt30, 0.05), THREE_CLASSES.withFirstLoss(1.1)).orElseThrow();
        assertTrue(f.title().contains("cut the network") && f.layers().equals(List.of("0")), f::toString);
        assertEquals(1, f.firstStep());
        // the same silenced layer while the loss still fell: the run learns, dead_relu's to name
        assertTrue(LrTooHighDetector.defaults().examine(twoLayers(i -> 1.1 - 0.015 * i, diesAt30, 0.05), THREE_CLASSES.withFirstLoss(1.1)).isEmpty());
        // dead from the first reading on: the initialization's, not the steps'
        assertTrue(LrTooHighDetector.defaults().examine(twoLayers(chance, i -> 0, 0.05), THREE_CLASSES.withFirstLoss(1.1)).isEmpty());
        // small steps cannot have thrown it there
        assertTrue(LrTooHighDetector.defaults().examine(twoLayers(chance, diesAt30, 1e-3), THREE_CLASSES.withFirstLoss(1.1)).isEmpty());
    }

    @Test
    void aFirstLossFarAboveChanceIsExplodingFromTheInitializationNotTooHighALearningRate() {
        // ten classes: chance ln 10 = 2.3; the untrained net starts at 383, jumps, then sits at chance with dead units
        RunFacts ten = new RunFacts(0.01, "sgd", 10, List.of("conv2d", "relu", "linear"));
        List<StepReading> w = steps(60, i -> i == 1 ? 383 : i == 2 ? 3.6e5 : 2.3, 0.05);
        assertTrue(LrTooHighDetector.defaults().examine(w, ten.withFirstLoss(383)).isEmpty());
        Finding f = ExplodingGradientsDetector.defaults().examine(w, ten.withFirstLoss(383)).orElseThrow();
        assertTrue(f.evidence().getFirst().contains("before any step") && f.evidence().getFirst().contains("x the chance loss"), f::toString);
        assertEquals(1, f.firstStep());
        assertTrue(ExplodingGradientsDetector.defaults().examine(steps(60, i -> 2.3, 0.05), ten.withFirstLoss(2.3)).isEmpty(), "a sane start");
    }

    @Test
    void aLossCrawlingDownWithTinyUpdatesIsTooLowALearningRateAConvergedOneIsNot() {
        // 30% below its start after 100 steps and still falling: crawling
        Finding f = LrTooLowDetector.defaults().examine(steps(100, i -> 1.1 * (1 - 0.003 * i), 1e-6), THREE_CLASSES.withFirstLoss(1.1)).orElseThrow();
        assertTrue(f.evidence().get(1).contains("crawling"), f.evidence()::toString);
        // 30% below its start and flat since: a converged run whatever its updates
        assertTrue(LrTooLowDetector.defaults().examine(steps(100, i -> i < 20 ? 1.1 - 0.0165 * i : 0.77, 1e-6), THREE_CLASSES.withFirstLoss(1.1))
                .isEmpty());
    }
}
