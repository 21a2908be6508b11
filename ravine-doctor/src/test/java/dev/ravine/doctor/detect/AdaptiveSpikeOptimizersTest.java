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

    /** fresh4-ctl-imbalanced-learned-adam at seed 2, steps 61-260: Adam's mini-batch losses on the 80/15/5 table. */
    private static final double[] IMBALANCED = {
            0.1484, 0.09969, 0.06072, 0.1257, 0.07452, 0.09056, 0.1189, 0.2519, 0.12, 0.0525, 0.1571, 0.09305, 0.09866, 0.04774,
            0.1251, 0.04098, 0.05453, 0.08903, 0.06798, 0.1736, 0.09927, 0.2162, 0.05802, 0.08832, 0.05095, 0.07036, 0.0694, 0.1142,
            0.1658, 0.03059, 0.05172, 0.1128, 0.2015, 0.04518, 0.09504, 0.2036, 0.06702, 0.0587, 0.02392, 0.2733, 0.1014, 0.05556,
            0.0438, 0.1022, 0.1554, 0.07705, 0.1359, 0.055, 0.06179, 0.1002, 0.02976, 0.08486, 0.06238, 0.03095, 0.08931, 0.07552,
            0.2016, 0.03286, 0.02331, 0.07381, 0.08152, 0.2268, 0.2013, 0.1249, 0.1141, 0.05569, 0.1078, 0.1229, 0.01341, 0.06165,
            0.006936, 0.1402, 0.05269, 0.05015, 0.0163, 0.04185, 0.08178, 0.02958, 0.1304, 0.0608, 0.1174, 0.03893, 0.05116, 0.1888,
            0.05203, 0.0593, 0.01489, 0.02106, 0.04988, 0.07365, 0.06813, 0.08178, 0.08464, 0.02151, 0.02235, 0.1686, 0.1248, 0.1817,
            0.07473, 0.02644, 0.05547, 0.07062, 0.2303, 0.0407, 0.01926, 0.2118, 0.05051, 0.03784, 0.05469, 0.03009, 0.04155, 0.04015,
            0.1377, 0.08085, 0.0702, 0.03877, 0.06575, 0.101, 0.1046, 0.0543, 0.1001, 0.02253, 0.02192, 0.03344, 0.04143, 0.1039,
            0.03596, 0.06104, 0.07123, 0.1239, 0.1335, 0.1764, 0.06936, 0.2773, 0.03512, 0.04531, 0.01607, 0.2028, 0.1926, 0.07299,
            0.008162, 0.01622, 0.03554, 0.004863, 0.02305, 0.03652, 0.01081, 0.1136, 0.08398, 0.06448, 0.03621, 0.01392, 0.04262, 0.02821,
            0.04736, 0.03156, 0.04965, 0.1986, 0.06961, 0.09482, 0.04396, 0.04178, 0.03713, 0.02558, 0.02697, 0.1021, 0.03806, 0.2217,
            0.03384, 0.172, 0.02485, 0.08729, 0.02897, 0.01684, 0.1005, 0.01885, 0.1194, 0.2283, 0.07586, 0.03777, 0.0581, 0.02372,
            0.03168, 0.0431, 0.03697, 0.02006, 0.286, 0.02893, 0.03835, 0.1078, 0.04286, 0.02773, 0.01115, 0.08954, 0.03358, 0.04602,
            0.04103, 0.07412, 0.2284, 0.1911};

    @Test
    void threeNoisyBatchesWithinTheStableRangeAreNoSpike() {
        RunFacts adam = new RunFacts(0.01, "adam", 3, List.of("linear", "relu", "linear")).withFirstLoss(1.1);
        List<StepReading> w = new ArrayList<>();
        for (int i = 0; i < IMBALANCED.length; i++) w.add(new StepReading(61 + i, 0, IMBALANCED[i], false, Double.NaN, List.of(), List.of()));
        // the last three (0.074, 0.228, 0.191) have a median 3.1x the stable median 0.062, but the stable batches reached 0.286
        assertTrue(AdaptiveSpikeDetector.defaults().examine(w, adam).isEmpty());
        // the same run whose last three batches leave that range is spiking
        for (int k = 1; k <= 3; k++) w.set(w.size() - k, new StepReading(261 - k, 0, 0.9, false, Double.NaN, List.of(), List.of()));
        assertTrue(AdaptiveSpikeDetector.defaults().examine(w, adam).isPresent());
    }

    @Test
    void aSpikeThatRoseBeforeTheLastReadingsIsJudgedAgainstTheStepsBeforeItsOnset() {
        // fresh-radam-exact-fit, steps 111-310 read at step 310: converged to ~7e-8, then rising from step ~293 to 5.8e-3 at
        // 305 and 2.5e-3 over the last three; the rise's own steps are above the last three, the stable ones far below
        RunFacts radam = new RunFacts(0.05, "radam", 0, List.of("linear", "linear")).withFirstLoss(1.4);
        double[] rise = {7e-7, 1.25e-6, 2.65e-6, 6.9e-6, 1.6e-5, 4.2e-5, 1.18e-4, 4.2e-4, 1.45e-3, 4.18e-3, 5.76e-3, 1.57e-3, 6.9e-4, 3.39e-3,
                2.55e-3, 4.3e-4};
        List<StepReading> w = new ArrayList<>();
        for (int s = 111; s < 295; s++) w.add(new StepReading(s, 0, 6.7e-8, false, Double.NaN, List.of(), List.of()));
        for (int k = 0; k < rise.length; k++) w.add(new StepReading(295 + k, 0, rise[k], false, Double.NaN, List.of(), List.of()));
        assertTrue(AdaptiveSpikeDetector.defaults().examine(w, radam).isPresent());
    }
}
