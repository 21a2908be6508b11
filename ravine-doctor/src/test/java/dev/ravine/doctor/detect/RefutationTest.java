package dev.ravine.doctor.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.doctor.Doctor;
import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Findings;
import dev.ravine.doctor.finding.Refutation;
import dev.ravine.doctor.finding.RunFacts;
import dev.ravine.doctor.finding.Severity;
import dev.ravine.doctor.instrument.InstrumentOptions;
import dev.ravine.doctor.instrument.LayerReading;
import dev.ravine.doctor.instrument.StepReading;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A warning must have its consequence: each refutation demotes a finding whose harm the run's own outcome contradicts
 * (healthy runs of the suite's controls, in their measured numbers) and keeps the finding where the harm is real (the
 * suite's pathologies), and a demoted finding is no longer the run's top finding.
 */
class RefutationTest {
    private static final RunFacts FACTS = new RunFacts(0.003, "adam", 3, List.of("linear", "relu", "linear"));

    private static Finding imbalance() {
        return new Finding("data_imbalance", "Heavily imbalanced classes", Severity.WARNING, 0, 0, List.of(),
                List.of("class 0 has 800 samples, class 2 50"), "", List.of());
    }

    private static Doctor doctorWith(Finding f) {
        Doctor d = new Doctor(InstrumentOptions.defaults(), List.of(), FACTS, 200);
        d.record(f);
        return d;
    }

    @Test
    void anImbalanceWhoseRareClassesWereLearnedIsDemotedAndNoLongerTheTopFinding() {
        // the 80/15/5 table of fresh2-ctl-imbalanced-table trains to 0.10: every class recalled
        Doctor d = doctorWith(imbalance());
        List<Finding> refuted = d.finish(new RunRecord(0.10, 0.61, new double[] {0.99, 0.93, 0.88}));
        assertEquals(1, refuted.size());
        Finding f = d.finding("data_imbalance").orElseThrow();
        assertEquals(Severity.INFO, f.severity());
        assertTrue(f.evidence().getFirst().startsWith(Refutation.PREFIX + " the trained model recalls every class"), f.evidence()::toString);
        assertTrue(f.evidence().contains("class 0 has 800 samples, class 2 50"), "its own evidence stays");
        assertTrue(Findings.top(d.findings()).isEmpty(), "a refuted finding is a note, not the run's problem");
        assertEquals(Severity.INFO, d.openFindings().getFirst().severity(), "open and ever-opened agree");
    }

    @Test
    void aClassWithoutTrainingSamplesIsNamedAndTheOthersDecide() {
        // fresh2-ctl-memorize-twenty-digits: 20 rows, class 3 has none, the other nine memorized (loss 0.008)
        double[] recall = {1, 1, 1, Double.NaN, 1, 1, 1, 1, 1, 1};
        Doctor d = doctorWith(imbalance());
        assertEquals(1, d.finish(new RunRecord(0.008, 2.1, recall)).size());
        Finding f = d.finding("data_imbalance").orElseThrow();
        assertTrue(f.evidence().get(1).startsWith("class 3 has no training sample"), f.evidence()::toString);
        recall[0] = 0;
        Doctor missed = doctorWith(imbalance());
        assertTrue(missed.finish(new RunRecord(0.3, 2.1, recall)).isEmpty(), "a class with samples never recalled keeps it");
    }

    @Test
    void anImbalanceWhoseRareClassIsNotLearnedStands() {
        Doctor ignored = doctorWith(imbalance());
        assertTrue(ignored.finish(new RunRecord(0.25, 0.61, new double[] {0.99, 0.90, 0.0})).isEmpty(), "the rare class never predicted");
        assertEquals(Severity.WARNING, ignored.finding("data_imbalance").orElseThrow().severity());
        Doctor poorly = doctorWith(imbalance());
        assertTrue(poorly.finish(new RunRecord(0.2, 0.61, new double[] {0.98, 0.9, 0.6})).isEmpty(), "learned, but far worse than the others");
        Doctor single = doctorWith(imbalance());
        assertTrue(single.finish(new RunRecord(0.01, 0.61, new double[] {1, Double.NaN, Double.NaN})).isEmpty(), "one class has no imbalance to judge");
        Doctor unknown = doctorWith(imbalance());
        assertTrue(unknown.finish(RunRecord.UNKNOWN).isEmpty(), "no outcome, no refutation");
    }

    @Test
    void labelNoiseTheModelFitsIsDemotedButMemorizedNoiseStands() {
        ConfidentLearning estimate = ConfidentLearningTest.simulate(0.3, 0.8, 6, 5);
        LabelNoiseDiagnosis rule = LabelNoiseDiagnosis.defaults();
        // fresh2-ctl-transformer-one-cycle: 6 tokens, fits its labels to 0.0019 (prior loss 1.79)
        RunRecord fits = new RunRecord(0.0019, 1.79, new double[0]);
        Finding fitted = rule.decide(estimate, 1000, "votes", LabelNoiseDiagnosis.HeldOut.NONE, fits).orElseThrow();
        assertEquals(Severity.INFO, fitted.severity());
        assertTrue(fitted.evidence().getFirst().startsWith(Refutation.PREFIX + " the model fits the labels"), fitted.evidence()::toString);
        // memorized: the training labels fitted, the held-out ones predicted no better than 30% wrong labels allow (70%)
        Finding memorized = rule.decide(estimate, 1000, "votes", new LabelNoiseDiagnosis.HeldOut(1.0, 0.62, 0.2), fits).orElseThrow();
        assertEquals(Severity.WARNING, memorized.severity(), memorized.evidence()::toString);
        // generalizing beyond the noise's ceiling: the fit is the labels' agreement with the inputs
        Finding general = rule.decide(estimate, 1000, "votes", new LabelNoiseDiagnosis.HeldOut(1.0, 0.97, 0.2), fits).orElseThrow();
        assertEquals(Severity.INFO, general.severity());
        // fresh2-noise-digits14-20: a net that stays at 1.09 of a prior 2.3 does not fit them
        Finding noisy = rule.decide(estimate, 1000, "votes", LabelNoiseDiagnosis.HeldOut.NONE, new RunRecord(1.09, 2.3, new double[0])).orElseThrow();
        assertEquals(Severity.WARNING, noisy.severity());
    }

    @Test
    void labelNoiseIsDemotedWhenAWiderReferenceFitsTheLabelsTheRunsNarrowModelCouldNot() {
        ConfidentLearning estimate = ConfidentLearningTest.simulate(0.3, 0.8, 6, 5);
        LabelNoiseDiagnosis rule = LabelNoiseDiagnosis.defaults();
        // fresh2-bias-lstm-two-units-sequence: 2 LSTM units stay at 1.08 (prior 1.79), a 64-unit reference reaches 0.0017
        Finding capacity = rule.decide(estimate, 1000, "votes", LabelNoiseDiagnosis.HeldOut.NONE, new RunRecord(1.08, 1.79, new double[0], 0.0017))
                .orElseThrow();
        assertEquals(Severity.INFO, capacity.severity());
        assertTrue(capacity.evidence().getFirst().startsWith(Refutation.PREFIX + " a wider network"), capacity.evidence()::toString);
        // noise-tabular-40-like: the wider reference does no better than the noise allows, the finding stands
        Finding noisy = rule.decide(estimate, 1000, "votes", LabelNoiseDiagnosis.HeldOut.NONE, new RunRecord(1.0, 1.1, new double[0], 0.9))
                .orElseThrow();
        assertEquals(Severity.WARNING, noisy.severity());
        // no wider reference trained (NaN): nothing refutes
        assertEquals(Severity.WARNING, rule.decide(estimate, 1000, "votes", LabelNoiseDiagnosis.HeldOut.NONE,
                new RunRecord(1.08, 1.79, new double[0])).orElseThrow().severity());
    }

    private static final double NA = Double.NaN;

    /** The measurements of a model_bias verdict: run loss, wider reference, late and early drops (thirds of the run). */
    private static Finding bias(double run, double wider, double lateDrop, double earlyDrop) {
        return bias(run, run, wider, lateDrop, earlyDrop);
    }

    /** As above, with the run's loss at the references' budget apart from its final one. */
    private static Finding bias(double run, double runAtBudget, double wider, double lateDrop, double earlyDrop) {
        return TrainingLossDiagnosis.defaults().decide(new TrainingLossDiagnosis.Measurements(run, 2 * run, NA, wider, NA, NA, 64, 200, 1000,
                runAtBudget, 1.2 * run, lateDrop, 10_000, earlyDrop)).orElseThrow();
    }

    @Test
    void modelBiasOnARunStillFallingSteadilyIsDemoted() {
        // fresh2-ctl-low-lr-adam (Adam at 1e-4): 11% then 13% lower per third, 1.6 against a wider 1.07
        Finding lowLr = bias(1.601, 1.067, 0.133, 0.111);
        assertEquals("model_bias", lowLr.id());
        assertEquals(Severity.INFO, lowLr.severity());
        assertTrue(lowLr.evidence().getFirst().contains("still falling at a steady rate"), lowLr.evidence()::toString);
        // fresh2-ctl-dropout-gru-radam: 25% then 18% lower, 0.121 against a wider 0.026
        assertEquals(Severity.INFO, bias(0.1214, 0.02568, 0.177, 0.253).severity());
        // the run's own end within the margin of the reference: the references beat it only at their shorter budget
        Finding reached = bias(0.5, 0.9, 0.6, 0.01, 0.2);
        assertEquals(Severity.INFO, reached.severity());
        assertTrue(reached.evidence().getFirst().contains("no reference beats what the run reached"), reached.evidence()::toString);
    }

    @Test
    void modelBiasOfAModelTooSmallStands() {
        // fresh2-bias-lstm-two-units-sequence: steady (17% per third), but a wider net is 600x lower: decades away
        assertEquals(Severity.WARNING, bias(1.081, 0.0017, 0.172, 0.169).severity());
        // fresh2-bias-one-unit-five-class: the fall slows (18% then 7.5%) towards a floor
        assertEquals(Severity.WARNING, bias(1.142, 0.39, 0.075, 0.179).severity());
        // fresh2-bias-linear-adding: flat at the end
        assertEquals(Severity.WARNING, bias(0.1259, 0.01025, -0.016, 0.102).severity());
        // without the early drop the fall's steadiness is unknown: the verdict stands
        assertEquals(Severity.WARNING, bias(0.4, 0.1, 0.2, NA).severity());
    }

    /** Full readings every 10 steps with these global gradient norms, split evenly over two weighted layers (the fresh2 MLP's). */
    private static List<StepReading> gradients(double... norms) {
        List<StepReading> w = new ArrayList<>();
        for (int i = 0; i < norms.length; i++) {
            double each = norms[i] / Math.sqrt(2);
            w.add(new StepReading(10L * (i + 1), 0, 0.5, true, norms[i], List.of(new LayerReading("0", each, 5, 0.005, 1e-3, 0),
                    new LayerReading("2", each, 2, 0.002, 1e-3, 0)), List.of()));
        }
        return w;
    }

    @Test
    void gradientsOfBatchesOfOneVaryWithoutGrowthButGrowthStillCounts() {
        // fresh2-ctl-batch-one-sgd's readings 400-650: single-sample norms from 0.009 to 3.0, the last 11.7x the median
        List<StepReading> single = gradients(0.086, 0.435, 0.823, 0.539, 0.473, 0.675, 0.013, 0.551, 0.009, 2.884, 0.151, 0.212, 0.748,
                0.153, 0.293, 0.659, 2.322, 0.033, 0.228, 3.036, 0.031, 0.036, 0.074, 0.044, 0.283, 2.48);
        assertTrue(ExplodingGradientsDetector.batchSpread(single.subList(0, single.size() - 1)) > 3);
        assertTrue(ExplodingGradientsDetector.defaults().examine(single, FACTS).isEmpty(), "batch noise, not growth");
        // the same noisy start, then norms growing 10x a reading: growth clears the spread
        List<StepReading> growing = gradients(0.086, 0.435, 0.823, 0.539, 0.473, 0.675, 0.013, 0.551, 0.009, 2.884, 0.151, 0.212, 0.748,
                30, 300, 3000, 30_000);
        assertEquals("exploding_gradients", ExplodingGradientsDetector.defaults().examine(growing, FACTS).orElseThrow().id());
        // batches of 32: norms within 20% of each other, a 12x rise is growth as before
        List<StepReading> steady = gradients(1.0, 1.1, 0.95, 1.05, 0.9, 1.0, 1.1, 12, 14);
        assertEquals("exploding_gradients", ExplodingGradientsDetector.defaults().examine(steady, FACTS).orElseThrow().id());
        // one sample's gradient above 10x the spread (the largest fall, 98x here), an ordinary sample's at the next reading:
        // one batch, not growth
        List<StepReading> once = gradients(0.086, 0.435, 0.823, 0.539, 0.473, 0.675, 0.013, 0.551, 0.009, 2.884, 0.151, 0.212, 0.748,
                0.153, 0.293, 0.659, 2.322, 0.033, 0.228, 3.036, 0.031, 0.036, 0.074, 0.044, 0.283, 300.0, 0.12);
        assertTrue(ExplodingGradientsDetector.defaults().examine(once, FACTS).isEmpty(), "a rise the next reading does not keep");
        // the same rise kept at the next reading is growth
        List<StepReading> kept = gradients(0.086, 0.435, 0.823, 0.539, 0.473, 0.675, 0.013, 0.551, 0.009, 2.884, 0.151, 0.212, 0.748,
                0.153, 0.293, 0.659, 2.322, 0.033, 0.228, 3.036, 0.031, 0.036, 0.074, 0.044, 0.283, 300.0, 900.0);
        assertEquals("exploding_gradients", ExplodingGradientsDetector.defaults().examine(kept, FACTS).orElseThrow().id());
        // fresh4-ctl-batch-one-sgd-tabular, readings 1700-1930: misclassified samples at 180x and 85x the median (0.021) two
        // readings running, 10x above the median fall (4.8x) but not above the largest (0.7038 -> 0.001, 700x): noise
        List<StepReading> tabular = gradients(0.7038, 0.001, 1.3973, 0.0161, 0.0016, 0.0059, 0.0188, 0.3991, 0.0409, 0.0145, 0.1092,
                0.0882, 0.0321, 0.0001, 0.0186, 0.0177, 0.0036, 4.5282, 0.1058, 0.0048, 0.1081, 0.0232, 3.7861, 1.7815);
        assertTrue(ExplodingGradientsDetector.defaults().examine(tabular, FACTS).isEmpty(), "single samples' gradients, not growth");
    }
}
