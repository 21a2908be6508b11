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

/** lr_too_high and adaptive_spike on made-up readings. */
class LossPatternDetectorsTest {
    private static final RunFacts SGD = new RunFacts(0.3, "sgd", 0, List.of("linear"));
    private static final RunFacts ADAM = new RunFacts(1e-3, "adam", 0, List.of("linear"));

    private static List<StepReading> run(int n, IntToDoubleFunction loss, IntToDoubleFunction ratio) {
        List<StepReading> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double r = ratio.applyAsDouble(i);
            out.add(new StepReading(i * 10L, 0, loss.applyAsDouble(i), true, 1, List.of(new LayerReading("0", 1, 10, 10 * r, r, 0)), List.of()));
        }
        return out;
    }

    private static List<StepReading> healthy(int n) {
        return run(n, i -> 2.0 / (i + 1), i -> 1e-3);
    }

    @Test
    void healthyRunsAreSilent() {
        for (Detector d : List.of(LrTooHighDetector.defaults(), AdaptiveSpikeDetector.defaults())) {
            assertTrue(d.examine(healthy(20), SGD).isEmpty(), d.id());
            assertTrue(d.examine(healthy(20), ADAM).isEmpty(), d.id());
            // a noisy but falling mini-batch loss with large Adam-like ratios is not too high a learning rate
            assertTrue(d.examine(run(20, i -> 1.0 / (i + 1) * (i % 2 == 0 ? 1.2 : 0.9), i -> 0.05), ADAM).isEmpty(), d.id());
        }
    }

    @Test
    void aRisingLossWithLargeUpdatesIsTooHighALearningRate() {
        Finding f = LrTooHighDetector.defaults().examine(run(10, i -> Math.pow(1.5, i), i -> 0.2), SGD).orElseThrow();
        assertEquals("lr_too_high", f.id());
        assertEquals(Severity.BLOCKING, f.severity());
        assertTrue(f.evidence().getFirst().startsWith("loss rose"), f.evidence().toString());
        assertEquals("optimizer.lr: 0.3 -> 0.1", f.remedies().getFirst().change());
        assertTrue(f.remedies().stream().anyMatch(r -> r.change().startsWith("clip.global_norm")));
        assertTrue(f.remedies().stream().anyMatch(r -> r.patchText().startsWith("schedule: {name: linear, start_factor: 0.01")), f.remedies().toString());
    }

    @Test
    void anOscillatingLossIsTooHighALearningRate() {
        Finding f = LrTooHighDetector.defaults().examine(run(12, i -> i % 2 == 0 ? 1.0 : 3.0, i -> 0.1), SGD).orElseThrow();
        assertEquals(Severity.WARNING, f.severity());
        assertTrue(f.evidence().getFirst().startsWith("loss oscillates"), f.evidence().toString());
    }

    @Test
    void smallUpdatesDoNotMakeALearningRateTooHigh() {
        assertTrue(LrTooHighDetector.defaults().examine(run(10, i -> Math.pow(1.5, i), i -> 1e-3), SGD).isEmpty());
    }

    @Test
    void aSpikeAfterAStableAdamRunIsReportedWithTheRatioJump() {
        List<StepReading> w = run(20, i -> i < 17 ? 0.5 + 0.01 * (i % 3) : 4.0, i -> i < 17 ? 1e-3 : 2e-2);
        Finding f = AdaptiveSpikeDetector.defaults().examine(w, ADAM).orElseThrow();
        assertEquals("adaptive_spike", f.id());
        assertEquals(170, f.firstStep());
        assertTrue(f.evidence().get(0).contains("7.843x"), f.evidence().toString());
        assertTrue(f.evidence().get(1).contains("20x"), f.evidence().toString());
        assertTrue(f.remedies().stream().anyMatch(r -> r.change().equals("optimizer.eps: 1e-8 -> 1e-6")));
        assertTrue(f.remedies().stream().anyMatch(r -> r.change().startsWith("optimizer.amsgrad")));
        // the same spike with plain SGD is not an adaptive-optimizer spike
        assertTrue(AdaptiveSpikeDetector.defaults().examine(w, SGD).isEmpty());
        assertTrue(AdaptiveSpikeDetector.isAdaptive("AdamW"));
    }
}
