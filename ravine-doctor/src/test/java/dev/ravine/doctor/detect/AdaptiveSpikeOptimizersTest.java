package dev.ravine.doctor.detect;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.doctor.curvature.CurvatureReading;
import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.RunFacts;
import dev.ravine.doctor.instrument.LayerReading;
import dev.ravine.doctor.instrument.StepReading;
import dev.ravine.optim.Chain;
import dev.ravine.optim.Masked;
import dev.ravine.optim.Optimizers;
import dev.ravine.optim.ScaleByLearningRate;
import dev.ravine.optim.Schedule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** adaptive_spike knows an adaptive run by its optimizer's chain: RMSprop, Adagrad, Adadelta and NAdam runs are adaptive too. */
class AdaptiveSpikeOptimizersTest {
    /** A stable loss for 17 readings, then a jump. */
    private static List<StepReading> spike() {
        List<StepReading> out = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            double r = i < 17 ? 1e-3 : 2e-2;
            out.add(new StepReading(i * 10L, 0, i < 17 ? 0.5 + 0.01 * (i % 3) : 4.0, true, 1, List.of(new LayerReading("0", 1, 10, 10 * r, r, 0)),
                    List.of()));
        }
        return out;
    }

    /** The same spike with adaptive readings whose median v goes from vFirst to vLast, the effective step growing 10x. */
    private static List<StepReading> spikeWithV(double vFirst, double vLast) {
        List<StepReading> plain = spike(), out = new ArrayList<>();
        for (int i = 0; i < plain.size(); i++) {
            StepReading r = plain.get(i);
            double t = i / (plain.size() - 1.0), v = vFirst * Math.pow(vLast / vFirst, t), step = 1e-3 * Math.pow(10, t);
            out.add(new StepReading(r.step(), r.epoch(), r.loss(), r.full(), r.globalGradNorm(), r.layers(), r.activations(),
                    new dev.ravine.doctor.instrument.AdaptiveStepReading(step / 10, step, step * 2, v, v / 100, 4096)));
        }
        return out;
    }

    @Test
    void aSpikeIsAdaptiveOnlyWhenTheDenominatorFell() {
        RunFacts adam = new RunFacts(1e-3, "adam", 0, List.of("linear"));
        // note 000's mechanism: v decays on quiet directions (the suite's true spikes: 2.7x to 8x lower at the peak step)
        assertTrue(AdaptiveSpikeDetector.defaults().examine(spikeWithV(3e-4, 6e-5), adam).isPresent());
        // v grew 15x meanwhile: the gradients grew, the step was too long for the surface, no decayed denominator
        assertTrue(AdaptiveSpikeDetector.defaults().examine(spikeWithV(6e-6, 9e-5), adam).isEmpty());
        // without adaptive readings there is nothing to judge by, and the loss alone decides
        assertTrue(AdaptiveSpikeDetector.defaults().examine(spike(), adam).isPresent());
    }

    @Test
    void everyPreconditionedOptimizerIsAdaptiveAndNoOtherIs() {
        for (String name : List.of("adam", "adamw", "nadam", "radam", "adamax", "rmsprop", "adagrad", "adadelta")) {
            assertTrue(AdaptiveSpikeDetector.isAdaptive(name), name);
            Finding f = AdaptiveSpikeDetector.defaults().examine(spike(), new RunFacts(1e-3, name, 0, List.of("linear"))).orElse(null);
            assertTrue(f != null && f.id().equals("adaptive_spike"), name);
            boolean amsgrad = f.remedies().stream().anyMatch(r -> r.change().startsWith("optimizer.amsgrad"));
            assertTrue(amsgrad == Optimizers.schema(name).optionNames().contains("amsgrad"), name + ": amsgrad only where the optimizer has it");
            assertTrue(f.remedies().stream().anyMatch(r -> r.change().startsWith("optimizer.eps: ")), name);
        }
        for (String name : List.of("sgd", "rprop", "lbfgs", "adaptive_gains", "momentum_ramp", "no_such_optimizer")) {
            assertFalse(AdaptiveSpikeDetector.isAdaptive(name), name);
            assertTrue(AdaptiveSpikeDetector.defaults().examine(spike(), new RunFacts(1e-3, name, 0, List.of("linear"))).isEmpty(), name);
        }
    }

    @Test
    void anRmspropSpikeComparesItsPreconditionedSharpnessWithItsOwnThreshold() {
        CurvatureReading c = new CurvatureReading(180, 5, Double.NaN, 400, 200, 20); // 2/lr at lr 0.01
        Finding f = AdaptiveSpikeDetector.defaults().examine(spike(), List.of(c), new RunFacts(0.01, "rmsprop", 0, List.of("linear"))).orElseThrow();
        String last = f.evidence().getLast();
        assertTrue(last.contains("= 2x its threshold 2/lr") && !last.contains("Adam"), last);
    }

    @Test
    void theRunsOwnChainDecidesEvenInParameterGroups() {
        var grouped = new Chain(List.of(new Masked(Optimizers.transform("rmsprop", Map.of()), new boolean[] {true}),
                new Masked(Chain.of(new ScaleByLearningRate(Schedule.constant(0.1))), new boolean[] {false})));
        assertTrue(new RunFacts(0.01, "rmsprop", grouped, 0, List.of("linear")).adaptive());
        assertFalse(new RunFacts(0.01, "sgd", Optimizers.transform("sgd", Map.of("momentum", 0.9)), 0, List.of("linear")).adaptive());
        assertFalse(new RunFacts(0.01, "lbfgs", (dev.ravine.optim.GradientTransform) null, 0, List.of("linear")).adaptive());
    }

    @Test
    void aConvergedLossComingBackByOrdersOfMagnitudeIsASpikeBelowTheAbsoluteFloor() {
        // first loss 1.27, converged to ~4e-12, then back at 1e-3: under the 1e-3 x first floor, but 1e8x the stable loss
        RunFacts adam = new RunFacts(0.03, "adam", 0, List.of("linear")).withFirstLoss(1.27);
        List<StepReading> w = new java.util.ArrayList<>();
        for (int i = 1; i <= 20; i++) w.add(new StepReading(300 + i, 0, i <= 17 ? 4e-12 : 1e-3, false, Double.NaN, List.of(), List.of()));
        assertTrue(AdaptiveSpikeDetector.defaults().examine(w, adam).isPresent());
        // 4e-12 -> 4e-9 (1000x) is round-off noise at convergence, not a spike
        List<StepReading> noise = new java.util.ArrayList<>();
        for (int i = 1; i <= 20; i++) noise.add(new StepReading(300 + i, 0, i <= 17 ? 4e-12 : 4e-9, false, Double.NaN, List.of(), List.of()));
        assertTrue(AdaptiveSpikeDetector.defaults().examine(noise, adam).isEmpty());
    }
}
