package dev.ravine.doctor.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Findings;
import dev.ravine.doctor.finding.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

/** model_bias versus optimization_issue from the reference losses (note 001), and the root-cause ranking of findings. */
class TrainingLossDiagnosisTest {
    private static final TrainingLossDiagnosis RULE = TrainingLossDiagnosis.defaults();
    private static final double NA = Double.NaN;

    private static TrainingLossDiagnosis.Measurements m(double run, double shallower, double wider, double subset) {
        return new TrainingLossDiagnosis.Measurements(run, 0.69, shallower, wider, subset, 0.69, 64, 200, 300);
    }

    @Test
    void aLossThatFellIsNotChecked() {
        assertTrue(RULE.decide(m(0.2, 0.01, 0.01, 0.6)).isEmpty(), "0.2 is below half the first loss 0.69");
        assertTrue(!RULE.isHigh(0.3, 0.69) && RULE.isHigh(0.5, 0.69));
    }

    @Test
    void aShallowerNetThatTrainsBetterIsAnOptimizationProblem() {
        Finding f = RULE.decide(m(0.68, 0.2, 0.1, 0.01)).orElseThrow();
        assertEquals("optimization_issue", f.id());
        assertTrue(f.evidence().get(1).contains("shallower network") && f.evidence().get(1).contains("0.2"), f.evidence()::toString);
        assertEquals(300, f.firstStep());
    }

    @Test
    void aWiderNetThatTrainsBetterIsModelBias() {
        Finding f = RULE.decide(m(0.68, NA, 0.3, 0.6)).orElseThrow();
        assertEquals("model_bias", f.id());
        assertTrue(f.evidence().get(1).contains("wider network reaches training loss 0.3"), f.evidence()::toString);
        assertEquals("model_bias", RULE.decide(m(0.68, 0.67, 0.3, 0.6)).orElseThrow().id(), "the shallower one is no better: depth is fine");
    }

    @Test
    void aShallowerNetThatDropsABottleneckIsNoDepthVerdict() {
        // the run's numbers: 64 ReLUs, a one-unit ReLU layer, five classes; without the one unit the net reaches 0.35, the
        // wider one (the unit made 64) 0.30, against the run's 1.12 at the same step and 1.10 at its end, 6% lower late
        TrainingLossDiagnosis.Measurements cut = new TrainingLossDiagnosis.Measurements(1.10, 1.93, 0.35, 0.30, 0.9, 1.6, 64, 256, 256, 1.12,
                1.609, 0.06, 651, 0.2, 1, 5);
        assertTrue(!RULE.depthDefeats(cut));
        Finding f = RULE.decide(cut).orElseThrow();
        assertEquals("model_bias", f.id());
        assertTrue(f.evidence().stream().anyMatch(e -> e.contains("a bottleneck")), f.evidence()::toString);
        // the same numbers with the cut layer as wide as the outputs' free dimensions (4 for 5 classes): depth is judged
        TrainingLossDiagnosis.Measurements wideEnough = new TrainingLossDiagnosis.Measurements(1.10, 1.93, 0.35, 0.30, 0.9, 1.6, 64, 256, 256,
                1.12, 1.609, 0.06, 651, 0.2, 4, 5);
        assertEquals("optimization_issue", RULE.decide(wideEnough).orElseThrow().id());
        // one unit before two outputs (a binary classification needs one dimension) or a regression's one: no bottleneck
        assertEquals("optimization_issue", RULE.decide(new TrainingLossDiagnosis.Measurements(1.10, 1.93, 0.35, 0.30, 0.9, 1.6, 64, 256, 256,
                1.12, 1.609, 0.06, 651, 0.2, 1, 2)).orElseThrow().id());
    }

    @Test
    void lossesAreJudgedAboveTheLossesOwnFloor() {
        // fresh5-ctl-label-smoothing-cnn-rmsprop's numbers: label smoothing 0.2 over ten classes puts the floor at 0.867; the
        // run fell from 2.29 to 1.147 (80% of the way down to the floor), its model from 2.309 to 0.8827 on the subset
        double floor = 0.867;
        TrainingLossDiagnosis.Measurements smoothed = new TrainingLossDiagnosis.Measurements(1.147, 2.29, NA, NA, 0.8827, 2.309, 64, 96, 96,
                1.147, NA, 0.057, 5286, 0.3, 0, 10, floor);
        assertTrue(!RULE.isHigh(1.147, 2.29, NA, floor) && RULE.isHigh(1.147, 2.29, NA, 0));
        assertTrue(RULE.decide(smoothed).isEmpty(), "a loss near its floor is not high, and the subset was fitted to it");
        // the same numbers read from zero, as before the floor: a loss at half its start that 'cannot overfit' the subset
        TrainingLossDiagnosis.Measurements fromZero = new TrainingLossDiagnosis.Measurements(1.147, 2.29, NA, NA, 0.8827, 2.309, 64, 96, 96,
                1.147, NA, 0.057, 5286, 0.3, 0, 10, 0);
        assertEquals("optimization_issue", RULE.decide(fromZero).orElseThrow().id());
        // with the floor, a run that stays far above it (2.0 of 2.29) and a subset stuck well above it still are judged
        TrainingLossDiagnosis.Measurements stuck = new TrainingLossDiagnosis.Measurements(2.0, 2.29, NA, NA, 1.9, 2.309, 64, 96, 96, 2.0, NA,
                0.01, 5286, 0.1, 0, 10, floor);
        assertEquals("optimization_issue", RULE.decide(stuck).orElseThrow().id());
        // a wider reference is compared by its excess too: 1.0 against the run's 1.2 is 0.13 against 0.33 above 0.867
        TrainingLossDiagnosis.Measurements bias = new TrainingLossDiagnosis.Measurements(2.0, 2.29, NA, 1.3, 0.9, 2.309, 64, 96, 96, 2.0, NA,
                0.01, 5286, 0.1, 0, 10, floor);
        assertEquals("model_bias", RULE.decide(bias).orElseThrow().id(), "1.3 is 0.43 above the floor, the run's 2.0 is 1.13");
        // 1.5 against the run's 2.0 is no clear win from zero, but 0.3 against 0.8 above a floor of 1.2 is
        assertEquals("model_bias", RULE.decide(new TrainingLossDiagnosis.Measurements(2.0, 2.29, NA, 1.5, 0.9, 2.309, 64, 96, 96, 2.0, NA, 0.01,
                5286, 0.1, 0, 10, 1.2)).orElseThrow().id());
        assertEquals("optimization_issue", RULE.decide(new TrainingLossDiagnosis.Measurements(2.0, 2.29, NA, 1.5, 0.9, 2.309, 64, 96, 96, 2.0, NA,
                0.01, 5286, 0.1, 0, 10, 0)).orElseThrow().id());
    }

    @Test
    void aModelThatCannotOverfitASubsetHasAnOptimizationProblem() {
        Finding f = RULE.decide(m(0.68, NA, 0.6, 0.5)).orElseThrow();
        assertEquals("optimization_issue", f.id());
        assertTrue(f.evidence().get(1).contains("cannot even overfit"), f.evidence()::toString);
        assertTrue(RULE.decide(m(0.68, NA, 0.6, 0.05)).isEmpty(), "fits the subset, no reference helps: no verdict");
    }

    @Test
    void aSubsetFitThatDivergedCastsNoVoteOnTheOptimizer() {
        assertTrue(RULE.decide(m(0.68, NA, 0.6, 1.38)).isEmpty(), "the fit ended at 2x its first loss 0.69: the step's length, not the model");
        assertTrue(RULE.decide(m(0.68, NA, 0.6, Double.POSITIVE_INFINITY)).isEmpty(), "a fit that overflowed measured nothing");
        assertEquals("optimization_issue", RULE.decide(m(0.68, NA, 0.6, 1.3)).orElseThrow().id(), "below 2x it is stuck, not diverged");
    }

    @Test
    void aModelWithFewerParametersThanTheSubsetHasSamplesIsNotBlamedForMissingIt() {
        // the run's own numbers: a 3-weight linear regression on targets with unit noise, at the noise floor 1.04 of its
        // first 2.18 (chance 1.95), 0.86 on 64 samples, 0.7% lower over its last third: it cannot memorize 64 values
        TrainingLossDiagnosis.Measurements small = new TrainingLossDiagnosis.Measurements(1.039, 2.177, NA, 1.03, 0.856, 1.186, 64, 320, 320,
                1.04, 1.951, 0.007, 3);
        assertTrue(RULE.decide(small).isEmpty(), "no verdict from a subset the model cannot memorize");
        TrainingLossDiagnosis.Measurements large = new TrainingLossDiagnosis.Measurements(1.039, 2.177, NA, 1.03, 0.856, 1.186, 64, 320, 320,
                1.04, 1.951, 0.007, 64);
        assertEquals("optimization_issue", RULE.decide(large).orElseThrow().id(), "with one parameter per sample it could");
        // y = w2 w1 x from zeros (2 weights) on a target it fits exactly: its loss on the subset never moved, 1x its first
        TrainingLossDiagnosis.Measurements stuck = new TrainingLossDiagnosis.Measurements(0.94, 0.79, NA, NA, 0.80, 0.80, 64, 80, 80,
                0.94, 0.95, 0.0, 2);
        assertEquals("optimization_issue", RULE.decide(stuck).orElseThrow().id(), "a small model that does not move at all is at no floor");
    }

    @Test
    void aRunStillFallingIsNotBlamedForMissingTheSubsetButHighIsAlsoAgainstTheChanceLoss() {
        TrainingLossDiagnosis.Measurements falling = new TrainingLossDiagnosis.Measurements(0.4, 0.69, NA, 0.4, 0.6, 0.69, 64, 200, 300, 0.45, 0.69,
                0.2);
        assertTrue(RULE.decide(falling).isEmpty(), "20% lower from the middle third to the last: slow, not stuck");
        TrainingLossDiagnosis.Measurements stuck = new TrainingLossDiagnosis.Measurements(0.4, 0.69, NA, 0.4, 0.6, 0.69, 64, 200, 300, 0.45, 0.69,
                0.01);
        assertEquals("optimization_issue", RULE.decide(stuck).orElseThrow().id());
        TrainingLossDiagnosis.Measurements wider = new TrainingLossDiagnosis.Measurements(0.4, 0.69, NA, 0.1, 0.6, 0.69, 64, 200, 300, 0.45, 0.69,
                0.2);
        assertEquals("model_bias", RULE.decide(wider).orElseThrow().id(), "a bigger net ahead at the same step needs no plateau");
        // a regression that started at 1.6 (its initialization's offset) and ends at 0.15, near the mean's loss 0.167
        assertTrue(RULE.isHigh(0.15, 1.6, 0.167) && !RULE.isHigh(0.15, 1.6));
    }

    @Test
    void theReferencesAreComparedWithTheRunAfterAsManyStepsNotAtItsEnd() {
        // the run ends at 0.5 after 1000 steps but was at 0.9 after the references' 200: a wider net at 0.6 beats it there
        TrainingLossDiagnosis.Measurements m = new TrainingLossDiagnosis.Measurements(0.5, 0.69, NA, 0.6, 0.6, 0.69, 64, 200, 1000, 0.9, 0.69, 0.01);
        Finding f = RULE.decide(m).orElseThrow();
        assertEquals("model_bias", f.id());
        assertTrue(f.evidence().get(2).contains("which was at 0.9 after as many"), f.evidence()::toString);
        // but the run itself ends at 0.5, below the reference's 0.6: the verdict is refuted by the run (RefutationTest)
        assertEquals(Severity.INFO, f.severity());
    }

    @Test
    void findingsRankProblemsBeforeNotesCausesBeforeSymptomsThenEarliest() {
        Finding chance = new Finding("loss_stuck_at_chance", "", Severity.WARNING, 10, 10, List.of(), List.of(), "", List.of());
        Finding bias = new Finding("model_bias", "", Severity.WARNING, 200, 200, List.of(), List.of(), "", List.of());
        Finding minimum = new Finding("local_minimum", "", Severity.INFO, 1, 1, List.of(), List.of(), "", List.of());
        Finding blocking = new Finding("lr_too_high", "", Severity.BLOCKING, 200, 200, List.of(), List.of(), "", List.of());
        assertEquals(List.of(blocking, bias, chance, minimum), Findings.ranked(List.of(minimum, chance, bias, blocking)));
        assertEquals("lr_too_high", Findings.top(List.of(minimum, chance, bias, blocking)).orElseThrow().id());
        assertTrue(Findings.top(List.of(minimum)).isEmpty(), "a note alone is no problem");
    }
}
