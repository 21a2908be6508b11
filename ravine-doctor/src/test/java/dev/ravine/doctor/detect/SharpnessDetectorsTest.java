package dev.ravine.doctor.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.doctor.curvature.CurvatureReading;
import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.RunFacts;
import dev.ravine.doctor.finding.Severity;
import dev.ravine.doctor.instrument.LayerReading;
import dev.ravine.doctor.instrument.StepReading;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/** lr_too_high and adaptive_spike with curvature readings: the stability ratio as evidence, and as a trigger. */
class SharpnessDetectorsTest {
    private static final RunFacts SGD = new RunFacts(0.1, "sgd", 10, List.of("linear"));

    private static List<StepReading> run(int n, IntToDoubleFunction loss, double ratio) {
        List<StepReading> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(new StepReading(i * 10, 0, loss.applyAsDouble(i), true, 1, List.of(new LayerReading("0", 1, 10, ratio * 10, ratio, 0)), List.of()));
        }
        return out;
    }

    private static CurvatureReading gd(long step, double sharpness) {
        return new CurvatureReading(step, sharpness, 2 / 0.1, Double.NaN, Double.NaN, 10);
    }

    @Test
    void sharpnessWellAboveTheThresholdWithAStalledLossIsTooHighALearningRate() {
        List<StepReading> flat = run(12, i -> 1.0 + 0.01 * (i % 2), 1e-3);
        Finding f = LrTooHighDetector.defaults().examine(flat, List.of(gd(100, 90)), SGD).orElseThrow();
        assertEquals(Severity.WARNING, f.severity());
        assertTrue(f.evidence().getFirst().contains("4.5x the stability threshold 20"), f.evidence()::toString);
    }

    @Test
    void sharpnessAtTheEdgeOfStabilityOrAFallingLossIsNoFinding() {
        List<StepReading> flat = run(12, i -> 1.0 + 0.01 * (i % 2), 1e-3);
        assertTrue(LrTooHighDetector.defaults().examine(flat, List.of(gd(100, 25)), SGD).isEmpty(), "ratio 1.25: the edge of stability");
        List<StepReading> falling = run(12, i -> 2.0 / i, 1e-3);
        assertTrue(LrTooHighDetector.defaults().examine(falling, List.of(gd(100, 90)), SGD).isEmpty(), "the loss still falls");
        assertTrue(LrTooHighDetector.defaults().examine(flat, List.of(), SGD).isEmpty(), "no curvature, no oscillation: nothing");
    }

    @Test
    void aDivergenceFoundFromTheLossCarriesTheSharpnessAsEvidence() {
        List<StepReading> rising = run(12, i -> Math.pow(1.5, i), 0.1);
        Finding f = LrTooHighDetector.defaults().examine(rising, List.of(gd(50, 60), gd(100, Double.NaN)), SGD).orElseThrow();
        assertEquals(Severity.BLOCKING, f.severity());
        assertTrue(f.evidence().getLast().contains("sharpness (top Hessian eigenvalue on the probe batch) 60 at step 50 = 3x"), f.evidence()::toString);
    }

    @Test
    void anAdamSpikeReportsThePreconditionedSharpness() {
        RunFacts adam = new RunFacts(1e-3, "adam", 10, List.of("linear"));
        List<StepReading> spike = run(14, i -> i <= 11 ? 0.1 : 2.0, 1e-3);
        CurvatureReading c = new CurvatureReading(120, 5, Double.NaN, 76_000, 38_000, 20);
        Finding f = AdaptiveSpikeDetector.defaults().examine(spike, List.of(c), adam).orElseThrow();
        assertTrue(f.evidence().getLast().contains("preconditioned sharpness") && f.evidence().getLast().contains("= 2x Adam's threshold"),
                f.evidence()::toString);
    }
}
