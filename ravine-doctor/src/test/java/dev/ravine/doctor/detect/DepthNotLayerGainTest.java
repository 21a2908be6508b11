package dev.ravine.doctor.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Refutation;
import dev.ravine.doctor.finding.RunFacts;
import dev.ravine.doctor.finding.Severity;
import dev.ravine.doctor.instrument.LayerReading;
import dev.ravine.doctor.instrument.StepReading;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DepthNotLayerGainTest {
    private static final VanishingGradientsDetector RULE = VanishingGradientsDetector.defaults();
    private static final RunFacts FACTS = new RunFacts(0.05, "sgd", 10, List.of("linear", "relu", "linear"));

    /** Readings of a net of {@code layers} weighted layers whose gradient shrinks by {@code factor} per layer going back. */
    private static List<StepReading> shrinking(int layers, double factor, int readings) {
        List<StepReading> out = new ArrayList<>();
        for (int s = 0; s < readings; s++) {
            List<LayerReading> ls = new ArrayList<>();
            for (int i = 0; i < layers; i++) {
                double grad = Math.pow(factor, layers - 1 - i);
                ls.add(new LayerReading(String.valueOf(2 * i), grad, 1.0, 0.01 * grad, 0.01 * grad, 0));
            }
            out.add(new StepReading(10L * (s + 1), 0, 0.69, true, 1.0, ls, List.of()));
        }
        return out;
    }

    private static Finding finding(String id, Severity severity) {
        return new Finding(id, id, severity, 1, 200, List.of(), List.of("its gauge"), "why", List.of());
    }

    private static final Finding VANISHING = finding("vanishing_gradients", Severity.WARNING);
    private static final Finding DEPTH = finding("optimization_issue", Severity.WARNING);

    @Test
    void aMildFactorCompoundedOverDepthIsDepthsSymptom() {
        // 0.45 per layer over 11 layers: 3.4e-4 first to last, below the detector's 1e-3, yet no layer shrinks much
        List<StepReading> h = shrinking(11, 0.45, 5);
        assertTrue(VanishingGradientsDetector.defaults().examine(h, FACTS).isPresent(), "the detector fires on it");
        Refutation r = DepthNotLayerGain.judge(VANISHING, DEPTH, h, RULE).orElseThrow();
        Finding demoted = r.applyTo(VANISHING);
        assertEquals(Severity.INFO, demoted.severity());
        assertTrue(demoted.evidence().getFirst().contains("0.45"), demoted.evidence().getFirst());
    }

    @Test
    void aSmallFactorInEveryLayerStaysTheCause() {
        // a sigmoid's best derivative times a default gain: 0.15 per layer over 9 layers; re-init or a swap is the cure
        assertTrue(DepthNotLayerGain.judge(VANISHING, DEPTH, shrinking(9, 0.15, 5), RULE).isEmpty());
        // just under the boundary, still the layers' fault
        assertTrue(DepthNotLayerGain.judge(VANISHING, DEPTH, shrinking(11, 0.24, 5), RULE).isEmpty());
    }

    @Test
    void withoutADepthVerdictOrAVanishingOverDepthNothingIsRefuted() {
        List<StepReading> h = shrinking(11, 0.45, 5);
        assertTrue(DepthNotLayerGain.judge(VANISHING, finding("optimization_issue", Severity.INFO), h, RULE).isEmpty(), "a refuted verdict");
        assertTrue(DepthNotLayerGain.judge(VANISHING, finding("model_bias", Severity.WARNING), h, RULE).isEmpty(), "not a depth verdict");
        assertTrue(DepthNotLayerGain.judge(finding("vanishing_gradients", Severity.INFO), DEPTH, h, RULE).isEmpty(), "already a note");
        // layers balanced within 1e-3 (0.8 per layer over 11: 0.11): a finding raised through time is not judged here
        assertTrue(DepthNotLayerGain.judge(VANISHING, DEPTH, shrinking(11, 0.8, 5), RULE).isEmpty());
        assertTrue(DepthNotLayerGain.judge(VANISHING, DEPTH, shrinking(11, 0.45, 2), RULE).isEmpty(), "fewer readings than the rule's");
    }

    @Test
    void theReadingsJudgedAreTheOnesThatRaisedTheFinding() {
        // 0.6 per layer over 15 layers (7.8e-4, below 1e-3) at steps 10-40, then 0.65 (2.4e-3, above) at steps 50-70: the
        // finding raised over steps 10-40 stays open, and its readings, not the run's last ones, are what it is judged by
        List<StepReading> h = new ArrayList<>(shrinking(15, 0.6, 4));
        for (StepReading r : shrinking(15, 0.65, 3)) {
            h.add(new StepReading(r.step() + 40, r.epoch(), r.loss(), r.full(), r.globalGradNorm(), r.layers(), r.activations()));
        }
        Finding raised = new Finding("vanishing_gradients", "v", Severity.WARNING, 10, 40, List.of(), List.of("its gauge"), "why", List.of());
        Refutation r = DepthNotLayerGain.judge(raised, DEPTH, h, RULE).orElseThrow();
        assertTrue(r.applyTo(raised).evidence().getFirst().contains("0.6"), r.applyTo(raised).evidence()::toString);
        // a finding over the later steps is judged by them: they do not vanish over depth, so nothing is refuted
        Finding late = new Finding("vanishing_gradients", "v", Severity.WARNING, 50, 70, List.of(), List.of("its gauge"), "why", List.of());
        assertTrue(DepthNotLayerGain.judge(late, DEPTH, h, RULE).isEmpty());
        // judged by the run's last readings alone (a finding spanning fewer readings than the rule's persistence), neither
        Finding brief = new Finding("vanishing_gradients", "v", Severity.WARNING, 40, 40, List.of(), List.of("its gauge"), "why", List.of());
        assertTrue(DepthNotLayerGain.judge(brief, DEPTH, h, RULE).isEmpty());
    }

    @Test
    void theFactorIsTheGeometricMeanPerLayerStep() {
        assertEquals(0.5, DepthNotLayerGain.perLayerFactor(Math.pow(0.5, 10), 11), 1e-12);
    }
}
