package dev.ravine.doctor.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.RunFacts;
import dev.ravine.doctor.finding.Severity;
import dev.ravine.doctor.instrument.ActivationReading;
import dev.ravine.doctor.instrument.LayerReading;
import dev.ravine.doctor.instrument.StepReading;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each detector on made-up readings: it fires on the pattern it names and stays silent on a healthy run. */
class DetectorsTest {
    private static final RunFacts FACTS = new RunFacts(0.01, "sgd", 10, List.of("flatten", "linear", "sigmoid", "linear"));

    private static LayerReading layer(String name, double grad, double weight, double ratio) {
        return new LayerReading(name, grad, weight, ratio * weight, ratio, 0);
    }

    private static ActivationReading act(String module, String kind, double dead, double saturated) {
        return new ActivationReading(module, kind, 0, 1, dead, saturated, 0, 1, 1);
    }

    private static StepReading full(long step, double loss, double gradNorm, List<LayerReading> layers, List<ActivationReading> acts) {
        return new StepReading(step, 0, loss, true, gradNorm, layers, acts);
    }

    /** A healthy run: stable norms, ratios near 1e-3, loss falling. */
    private static List<StepReading> healthy(int n) {
        List<StepReading> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(full(i * 10, 2.0 / i, 1.0, List.of(layer("1", 0.5, 10, 1e-3), layer("3", 0.8, 5, 1e-3)),
                    List.of(act("2", "relu", 0.1, Double.NaN))));
        }
        return out;
    }

    @Test
    void healthyRunHasNoFindings() {
        for (Detector d : List.of(ExplodingGradientsDetector.defaults(), VanishingGradientsDetector.defaults(), DeadReluDetector.defaults(),
                LrTooLowDetector.defaults(), LossStuckAtChanceDetector.defaults())) {
            assertTrue(d.examine(healthy(12), FACTS).isEmpty(), d.id() + " fired on a healthy run");
        }
    }

    @Test
    void nanLossIsABlockingExplosionAtTheFirstBadStep() {
        List<StepReading> w = healthy(5);
        w.add(new StepReading(55, 0, Double.NaN, false, Double.NaN, List.of(), List.of()));
        w.add(new StepReading(56, 0, Double.NaN, false, Double.NaN, List.of(), List.of()));
        Finding f = ExplodingGradientsDetector.defaults().examine(w, FACTS).orElseThrow();
        assertEquals("exploding_gradients", f.id());
        assertEquals(Severity.BLOCKING, f.severity());
        assertEquals(55, f.firstStep());
        assertTrue(f.remedies().getFirst().change().startsWith("clip.global_norm"));
    }

    @Test
    void growingGradientsNameTheLayerWhereGrowthStarts() {
        List<StepReading> w = healthy(6);
        // layer 1 (the lower one) explodes first; the global norm follows
        w.add(full(70, 1.0, 30, List.of(layer("1", 40, 10, 1e-2), layer("3", 1.0, 5, 1e-3)), List.of()));
        assertTrue(ExplodingGradientsDetector.defaults().examine(w, FACTS).isEmpty(), "waits for the next reading");
        w.add(full(80, 1.0, 90, List.of(layer("1", 120, 10, 3e-2), layer("3", 3.0, 5, 3e-3)), List.of()));
        Finding f = ExplodingGradientsDetector.defaults().examine(w, FACTS).orElseThrow();
        assertEquals(Severity.WARNING, f.severity());
        assertEquals(List.of("1"), f.layers());
        assertEquals(70, f.firstStep());
        assertEquals(80, f.lastStep());
        assertTrue(f.evidence().getFirst().contains("90x"), f.evidence().toString());
        assertTrue(f.remedies().stream().anyMatch(r -> r.change().equals("optimizer.lr: 0.01 -> 0.003333")), f.remedies().toString());
    }

    @Test
    void aGrowingGradientInAModelOfOneWeightedLayerIsNoProductOverDepth() {
        List<StepReading> w = new ArrayList<>();
        for (int i = 1; i <= 6; i++) w.add(full(10 * i, 1.0, 1, List.of(layer("0", 1, 10, 1e-3)), List.of()));
        w.add(full(70, 1.0, 30, List.of(layer("0", 30, 10, 1e-2)), List.of()));
        w.add(full(80, 1.0, 30, List.of(layer("0", 30, 10, 1e-2)), List.of()));
        assertTrue(ExplodingGradientsDetector.defaults().examine(w, FACTS).isEmpty(), "one layer: no per-layer factors to multiply");
        // the same 30x growth with a second weighted layer is the depth rule's
        List<StepReading> deep = new ArrayList<>();
        for (int i = 1; i <= 6; i++) deep.add(full(10 * i, 1.0, 1, List.of(layer("0", 1, 10, 1e-3), layer("2", 1, 10, 1e-3)), List.of()));
        deep.add(full(70, 1.0, 30, List.of(layer("0", 30, 10, 1e-2), layer("2", 1, 10, 1e-3)), List.of()));
        deep.add(full(80, 1.0, 30, List.of(layer("0", 30, 10, 1e-2), layer("2", 1, 10, 1e-3)), List.of()));
        assertEquals(List.of("0"), ExplodingGradientsDetector.defaults().examine(deep, FACTS).orElseThrow().layers());
    }

    @Test
    void vanishingGradientsNeedPersistenceAndSuggestReplacingTheSigmoid() {
        List<StepReading> w = healthy(3);
        for (int i = 0; i < 3; i++) {
            w.add(full(100 + i, 2.3, 1, List.of(layer("1", 1e-7, 10, 1e-9), layer("3", 0.5, 5, 1e-3)), List.of(act("2", "sigmoid", Double.NaN, 0.9))));
        }
        Finding f = VanishingGradientsDetector.defaults().examine(w, FACTS).orElseThrow();
        assertEquals("vanishing_gradients", f.id());
        assertEquals(100, f.firstStep());
        assertTrue(f.evidence().stream().anyMatch(e -> e.contains("saturated")), f.evidence().toString());
        assertEquals("model.layers[2]: sigmoid -> relu", f.remedies().getFirst().change());
        // two bad readings are not enough
        assertTrue(VanishingGradientsDetector.defaults().examine(w.subList(0, w.size() - 1), FACTS).isEmpty());
    }

    @Test
    void aGradientCutToZeroByAWhollyDeadReluLayerIsNotVanishing() {
        List<StepReading> cut = healthy(3), shrunk = healthy(3);
        for (int i = 0; i < 3; i++) {
            List<LayerReading> zeroFirst = List.of(layer("0", 0, 1, 0), layer("2", 0, 1, 0), layer("4", 0.5, 1, 1e-3));
            cut.add(full(100 + i, 0.69, 1, zeroFirst, List.of(act("1", "relu", 0.5, 0), act("3", "relu", 1.0, 0))));
            // the same zero with every ReLU layer partly alive: nothing is cut, so the detector still speaks
            shrunk.add(full(100 + i, 0.69, 1, zeroFirst, List.of(act("1", "relu", 0.5, 0), act("3", "relu", 0.9, 0))));
        }
        assertTrue(VanishingGradientsDetector.defaults().examine(cut, FACTS).isEmpty());
        assertTrue(VanishingGradientsDetector.defaults().examine(shrunk, FACTS).isPresent());
    }

    @Test
    void vanishingThroughTimeNamesTheRecurrentLayerAndSuggestsAGatedCell() {
        RunFacts rnnFacts = new RunFacts(0.01, "adam", 0, List.of("rnn", "linear")).withLayerYaml(List.of("rnn: {hidden: 8}", "linear: {out: 1}"));
        List<StepReading> w = throughTime(1e-9, 3e-9, 1e-8, 2e-9, 3e-9);
        // layer gradients balanced (no vanishing over depth); the recurrent layer's first step gets 1e-9 to 1e-8 of the
        // last's, varying with the weights as a trained vanilla cell's does; four readings are not enough to tell
        assertTrue(VanishingGradientsDetector.defaults().examine(w.subList(0, 4), rnnFacts).isEmpty(), "waits to see whether the ratio moves");
        Finding f = VanishingGradientsDetector.defaults().examine(w, rnnFacts).orElseThrow();
        assertEquals("vanishing_gradients", f.id());
        assertEquals("Vanishing gradients through time", f.title());
        assertEquals(List.of("0"), f.layers());
        assertEquals(30, f.firstStep());
        assertTrue(f.evidence().getFirst().contains("1.00e-08x"), f.evidence().toString());
        assertEquals("model.layers[0]: rnn -> gru (or lstm)", f.remedies().getFirst().change());
        assertEquals("model.layers[0]: {gru: {hidden: 8}}", f.remedies().getFirst().patchText(), "the cell swapped, its options kept");
        // a gated cell that carries the signal (ratio 0.8) is healthy
        List<StepReading> gated = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            gated.add(full(10 * (i + 1), 0.01, 1, List.of(layer("0", 0.5, 10, 1e-3), layer("1", 0.5, 5, 1e-3)),
                    List.of(new ActivationReading("0", "lstm", 0, 0.5, Double.NaN, Double.NaN, 0, 1, 1, 0.8))));
        }
        assertTrue(VanishingGradientsDetector.defaults().examine(gated, rnnFacts).isEmpty());
        // one recovered reading in the window is enough to stay quiet
        w.set(3, gated.get(1));
        assertTrue(VanishingGradientsDetector.defaults().examine(w, rnnFacts).isEmpty());
    }

    /** Five full readings whose recurrent layer has the given first-to-last-step gradient ratios, the depth balanced. */
    private static List<StepReading> throughTime(double... ratios) {
        List<StepReading> w = new ArrayList<>();
        for (int i = 0; i < ratios.length; i++) {
            w.add(full(10 * (i + 1), 0.17, 1, List.of(layer("0", 0.5, 10, 1e-3), layer("1", 0.5, 5, 1e-3)),
                    List.of(new ActivationReading("0", "gru", 0, 0.5, Double.NaN, Double.NaN, 0, 1, 1, ratios[i]))));
        }
        return w;
    }

    private static List<StepReading> losses(double... loss) {
        List<StepReading> w = new ArrayList<>();
        for (int i = 0; i < loss.length; i++) w.add(new StepReading(735 + i, 0, loss[i], false, Double.NaN, List.of(), List.of()));
        return w;
    }

    @Test
    void aLossJumpIsRunawayGrowthOnlyWhenTheNextStepStaysUp() {
        // the run's own numbers: batches of 2 on three classes, 0.121 at step 736 -> 1.396 at 737, just above the start 1.374
        RunFacts facts = new RunFacts(0.01, "sgd", 3, List.of("linear", "relu", "linear")).withFirstLoss(1.374);
        RunawayGrowthDetector d = RunawayGrowthDetector.defaults();
        assertTrue(d.examine(losses(0.4, 0.121, 1.396), facts).isEmpty(), "waits for the step after the jump");
        assertTrue(d.examine(losses(0.4, 0.121, 1.396, 0.3), facts).isEmpty(), "one bad mini-batch, then an ordinary one");
        assertTrue(d.examine(losses(0.4, 0.121, 1.396, 15.0), facts).isEmpty(), "waits for the second step after the jump");
        assertTrue(d.examine(losses(0.4, 0.121, 1.396, 15.0, 0.2), facts).isEmpty(), "one step up by chance, then an ordinary batch");
        Finding f = d.examine(losses(0.4, 0.121, 1.396, 15.0, 170.0), facts).orElseThrow();
        assertEquals(737, f.firstStep(), "growth that feeds itself keeps going; reported from the jump");
        assertTrue(d.examine(losses(0.4, 0.121, 1.396, Double.NaN), facts).isPresent(), "a NaN after the jump is the growth's end");
    }

    @Test
    void aJumpFromOneEasyBatchBackToTheRunsLevelIsNoRunawayGrowth() {
        // fresh3-ctl-batch-four-spirals-momentum, steps 34-41: batches of four, one easy batch at 0.0485, then 0.7446 (15x,
        // above the start 0.7248) and ordinary batches again, each 10x the easy one but not 10x the range before it
        RunFacts facts = new RunFacts(0.05, "sgd", 2, List.of("linear", "tanh", "linear")).withFirstLoss(0.7248);
        RunawayGrowthDetector d = RunawayGrowthDetector.defaults();
        assertTrue(d.examine(losses(0.6881, 0.4456, 0.6381, 0.4825, 0.0485, 0.7446, 0.6167, 0.5946), facts).isEmpty());
        // the window slid on until the easy batch is its first reading: nothing before it says what range the batches span
        assertTrue(d.examine(losses(0.0485, 0.7446, 0.6167, 0.5946), facts).isEmpty());
        // fresh2-ctl-batch-one-sgd, steps 712-720: one sample a step; a misclassified one, then two 10x the sample before it
        RunFacts blobs = new RunFacts(0.02, "sgd", 3, List.of("linear", "relu", "linear")).withFirstLoss(1.299);
        assertTrue(d.examine(losses(0.01558, 0.00346, 0.00755, 0.00163, 0.0021, 1.68149, 0.1671, 0.04123, 0.00175), blobs).isEmpty());
        // fresh4-ctl-batch-one-sgd-tabular, steps 755-759 as the window's first: two easy samples are all that is left of
        // the range before a misclassified one (0.5879 two steps earlier had slid out), and the samples after it stay 10x above them
        RunFacts tabular = new RunFacts(0.03, "sgd", 3, List.of("linear", "relu", "linear")).withFirstLoss(1.099);
        assertTrue(d.examine(losses(0.0308, 0.0329, 2.2437, 0.4672, 0.4083, 0.3587), tabular).isEmpty());
        // with the range's five steps in view the same jump is judged against them (0.5879: not 10x above it)
        assertTrue(d.examine(losses(0.1461, 0.5879, 0.0013, 0.0308, 0.0329, 2.2437, 0.4672, 0.4083, 0.3587), tabular).isEmpty());
        // fresh4-ctl-batch-one-sgd-tabular at seed 2, steps 1662-1675 after an earlier sample at 2.76: a misclassified sample
        // and the perturbed ones after it, 10x above the five before, but below what that earlier sample reached
        double[] seen = {0.5, 2.7619, 5.273e-05, 0.02166, 0.001533, 0.006608, 0.02359, 0.002269, 0.0014, 0.0002413, 0.001351, 0.004719, 1.16,
                0.2093, 1.086, 0.002412};
        List<StepReading> spread = new ArrayList<>();
        for (int k = 0; k < seen.length; k++) spread.add(new StepReading(k + 1, 0, seen[k], false, Double.NaN, List.of(), List.of()));
        assertTrue(d.examine(spread, tabular).isEmpty(), "within the range the run's samples spanned");
        spread.set(0, new StepReading(1, 0, 0.3, false, Double.NaN, List.of(), List.of()));
        spread.set(1, new StepReading(2, 0, 0.3, false, Double.NaN, List.of(), List.of()));
        assertTrue(d.examine(spread, tabular).isPresent(), "the same jump far above everything before it");
        // seed 1, steps 1530-1539: a peak of 2.96 just over the 2.75 an earlier sample reached is that range, not growth
        double[] near = {2.745, 0.0012, 0.0023, 0.0001, 0.016, 0.0209, 0.7344, 2.9567, 1.8565, 1.7712, 0.0001};
        List<StepReading> nearly = new ArrayList<>();
        for (int k = 0; k < near.length; k++) nearly.add(new StepReading(k + 1, 0, near[k], false, Double.NaN, List.of(), List.of()));
        assertTrue(d.examine(nearly, tabular).isEmpty(), "a peak 1.08x the range");
        // and once the window has slid, a jump is not judged again on a range partly gone (the 2.76 slid out)
        assertTrue(d.examine(losses(5.273e-05, 0.02166, 0.001533, 0.006608, 0.02359, 0.002269, 0.0014, 0.0002413, 0.001351, 0.004719, 1.16,
                0.2093, 1.086, 0.002412), tabular).isEmpty());
        // and a jump that does stay 10x above its full range is growth, judged when it is the newest
        assertTrue(d.examine(losses(0.1461, 0.5879, 0.0013, 0.0308, 0.0329, 12.0, 150.0, 1800.0), tabular).isPresent());
        // the same jump whose next losses stay 10x above the range before it is growth feeding itself
        assertTrue(d.examine(losses(0.6881, 0.4456, 0.6381, 0.4825, 0.0485, 0.7446, 7.5, 90.0), facts).isPresent());
    }

    @Test
    void aGateOpeningOrACellNeverTrainedIsNotVanishingThroughTime() {
        RunFacts facts = new RunFacts(0.01, "adam", 0, List.of("gru", "linear"));
        // the run's own numbers: a healthy GRU opening its carry from 5.7e-5 (its loss fell); still below 1e-3 at the end
        assertTrue(VanishingGradientsDetector.defaults().examine(throughTime(5.7e-5, 5.2e-4, 5.6e-4, 6.7e-4, 8.5e-4), facts).isEmpty());
        // rising as much, but below float32's resolution the early steps' share is lost in round-off anyway
        assertTrue(VanishingGradientsDetector.defaults().examine(throughTime(1e-12, 1e-11, 1e-10, 1e-9, 1e-8), facts).isPresent());
        // an LSTM whose weights never moved (lr too low): 8.2e-4 to 8.6e-4 over the run, the initialization's reading
        assertTrue(VanishingGradientsDetector.defaults().examine(throughTime(8.39e-4, 8.36e-4, 8.45e-4, 8.31e-4, 8.62e-4), facts).isEmpty());
        // a ratio that moves with the weights but neither opens nor leaves the vanishing range is vanishing
        assertTrue(VanishingGradientsDetector.defaults().examine(throughTime(4e-4, 2e-4, 6e-4, 3e-4, 5e-4), facts).isPresent());
    }

    @Test
    void deadReluReportsLayerFractionAndSinceWhen() {
        List<StepReading> w = healthy(4);
        for (int i = 0; i < 4; i++) {
            w.add(full(200 + 10 * i, 1, 1, List.of(layer("1", 0.5, 10, 1e-3), layer("3", 0.8, 5, 1e-3)), List.of(act("2", "relu", 0.8, Double.NaN))));
        }
        Finding f = DeadReluDetector.defaults().examine(w, FACTS).orElseThrow();
        assertEquals(List.of("2"), f.layers());
        assertEquals(200, f.firstStep());
        assertTrue(f.evidence().getFirst().contains("80"), f.evidence().toString());
    }

    @Test
    void deadUnitsInARunThatLearntAnOrderOfMagnitudeAreANoteNotTheProblem() {
        RunFacts started = FACTS.withFirstLoss(2.3);
        for (double loss : new double[] {1.0, 1e-3}) {
            List<StepReading> w = healthy(4);
            for (int i = 0; i < 4; i++) {
                w.add(full(200 + 10 * i, loss, 1, List.of(layer("1", 0.5, 10, 1e-3), layer("3", 0.8, 5, 1e-3)), List.of(act("2", "relu", 0.8, Double.NaN))));
            }
            Finding f = DeadReluDetector.defaults().examine(w, started).orElseThrow();
            // still at 0.43x its start: the dead units may be what holds it; at 4e-4x it fit the data with the units it had
            assertEquals(loss == 1.0 ? Severity.WARNING : Severity.INFO, f.severity(), f::toString);
        }
    }

    /** Steps 1-30, a full reading every 10th with layer 2 this dead, the loss given per step. */
    private static List<StepReading> deadAfter(double dead, java.util.function.IntToDoubleFunction loss) {
        List<StepReading> w = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            boolean isFull = i % 10 == 0 || i == 1;
            w.add(new StepReading(i, 0, loss.applyAsDouble(i), isFull, 1, isFull ? List.of(layer("0", 0.5, 10, 1e-3), layer("4", 0.8, 5, 1e-3)) : List.of(),
                    isFull ? List.of(act("2", "relu", i == 1 ? 0.1 : dead, Double.NaN)) : List.of()));
        }
        return w;
    }

    @Test
    void silentUnitsAfterAGroupNormalizationAreANoteWhileTheLossStillFalls() {
        // fresh3-ctl-groupnorm-cnn-momentum: 75% of the channels after a group norm silent, the loss 2.45 -> 1.3 over 30 steps
        RunFacts gn = new RunFacts(0.1, "sgd", 10, List.of("conv2d", "groupnorm", "relu", "flatten", "linear")).withFirstLoss(2.47);
        java.util.function.IntToDoubleFunction falling = i -> 2.47 * Math.pow(0.978, i);
        assertEquals(Severity.INFO, DeadReluDetector.defaults().examine(deadAfter(0.75, falling), gn).orElseThrow().severity());
        // the same silence with the loss at chance, flat (the other seed, every channel silent): the units took the network
        assertEquals(Severity.WARNING, DeadReluDetector.defaults().examine(deadAfter(0.75, i -> 2.30), gn).orElseThrow().severity());
        assertEquals(Severity.WARNING, DeadReluDetector.defaults().examine(deadAfter(1.0, falling), gn).orElseThrow().severity(),
                "wholly silent: nothing flows through the statistics");
        // after a batch norm (statistics per unit) or a plain linear layer nothing reaches a silent unit: the falling loss does not excuse it
        for (String before : List.of("batchnorm", "linear")) {
            RunFacts other = new RunFacts(0.1, "sgd", 10, List.of("conv2d", before, "relu", "flatten", "linear")).withFirstLoss(2.47);
            assertEquals(Severity.WARNING, DeadReluDetector.defaults().examine(deadAfter(0.75, falling), other).orElseThrow().severity(), before);
        }
    }

    @Test
    void tinyUpdatesWithAFlatLossMeanTheLearningRateIsTooLow() {
        List<StepReading> w = new ArrayList<>();
        for (int i = 1; i <= 8; i++) w.add(full(i * 10, 2.0 - 1e-4 * i, 1, List.of(layer("1", 0.5, 10, 1e-7), layer("3", 0.8, 5, 2e-7)), List.of()));
        Finding f = LrTooLowDetector.defaults().examine(w, FACTS).orElseThrow();
        assertEquals("lr_too_low", f.id());
        assertTrue(f.remedies().getFirst().change().startsWith("optimizer.lr: 0.01 -> "), f.remedies().toString());
        // the same ratios with a loss that falls fast: not a problem worth reporting
        List<StepReading> falling = new ArrayList<>();
        for (int i = 1; i <= 8; i++) falling.add(full(i * 10, 2.0 / i, 1, List.of(layer("1", 0.5, 10, 1e-7)), List.of()));
        assertFalse(LrTooLowDetector.defaults().examine(falling, FACTS).isPresent());
    }

    /** {@code n} steps of the given losses, a full reading (update/weight ratio 5.7e-4, above the ratio rule's 1e-4) every 10th. */
    private static List<StepReading> everyStep(int n, java.util.function.IntToDoubleFunction loss) {
        List<StepReading> w = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            boolean isFull = i % 10 == 0;
            w.add(new StepReading(i, 0, loss.applyAsDouble(i), isFull, 1, isFull ? List.of(layer("1", 0.5, 10, 5.7e-4)) : List.of(), List.of()));
        }
        return w;
    }

    @Test
    void aLossFallingAtEveryStepYetStillAtItsStartIsTooLowALearningRateWhateverTheRatio() {
        RunFacts five = new RunFacts(0.002, "sgd", 5, List.of("linear", "relu", "linear")).withFirstLoss(1.628);
        Finding f = LrTooLowDetector.defaults().examine(everyStep(60, i -> 1.628 - 3e-4 * i), five).orElseThrow();
        assertTrue(f.evidence().getFirst().contains("100% of the window's 59 steps"), f::toString);
        // mini-batch noise: half the steps go up, so the ratio rule alone decides (and 5.7e-4 is no tiny step)
        assertTrue(LrTooLowDetector.defaults().examine(everyStep(60, i -> 1.628 - 3e-4 * i + (i % 2 == 0 ? 0.02 : 0)), five).isEmpty());
        // as steady a descent that already took 40% off its start is moving, not held back
        assertTrue(LrTooLowDetector.defaults().examine(everyStep(60, i -> 1.0 - 3e-4 * i), five).isEmpty());
    }

    /**
     * Epochs of 20 noisy steps (every other step 0.04 higher, so about half the steps go up) whose means are
     * {@code means}, a full reading every 10 steps with update/weight ratio {@code ratio}.
     */
    private static List<StepReading> epochsOf(double ratio, double... means) {
        List<StepReading> w = new ArrayList<>();
        for (int i = 0; i < 20 * means.length; i++) {
            int epoch = i / 20;
            double loss = means[epoch] + (i % 2 == 0 ? 0.02 : -0.02);
            boolean isFull = (i + 1) % 10 == 0;
            w.add(new StepReading(i + 1, epoch + 1, loss, isFull, 1, isFull ? List.of(layer("0", 1, 1, ratio)) : List.of(), List.of()));
        }
        return w;
    }

    @Test
    void aLossCrawlingDownEveryWholeEpochIsALearningRateTooLow() {
        RunFacts three = new RunFacts(1e-5, "adaptive_gains", false, 3, List.of("linear", "relu", "linear"), 1.07);
        // adaptive-gains SGD at lr 1e-5: update/weight 2.7e-4 (above the step rule's 1e-4), epoch means 1.080 -> 1.058
        Finding f = LrTooLowDetector.defaults().examine(epochsOf(2.7e-4, 1.0796, 1.077, 1.0725, 1.0662, 1.0584), three).orElseThrow();
        assertEquals("lr_too_low", f.id());
        assertTrue(f.evidence().stream().anyMatch(e -> e.contains("each of 3 whole epochs")), f.evidence().toString());
        // the same losses with updates of 6.7e-3 a step (a deep net creeping out of a plateau): steps are not small
        assertTrue(LrTooLowDetector.defaults().examine(epochsOf(6.7e-3, 1.0796, 1.077, 1.0725, 1.0662, 1.0584), three).isEmpty());
        // slowing toward a floor, or one epoch up: no crawl
        assertTrue(LrTooLowDetector.defaults().examine(epochsOf(2.7e-4, 1.0796, 1.07, 1.066, 1.0645, 1.064), three).isEmpty());
        assertTrue(LrTooLowDetector.defaults().examine(epochsOf(2.7e-4, 1.0796, 1.077, 1.0785, 1.0662, 1.0584), three).isEmpty());
        // a regression whose first batch was lucky (0.30, below every epoch's mean) still crawls from its first epoch
        RunFacts regression = new RunFacts(1e-5, "nadam", true, 0, List.of("linear", "tanh", "linear"), 0.30);
        assertTrue(LrTooLowDetector.defaults().examine(epochsOf(8.6e-5, 0.4655, 0.4645, 0.4634, 0.4622, 0.4611, 0.46), regression).isPresent());
        // far below its start, however steady: learning
        assertTrue(LrTooLowDetector.defaults().examine(epochsOf(2.7e-4, 0.9, 0.8, 0.7, 0.6, 0.5), three).isEmpty());
    }

    @Test
    void lossAtLogClassesIsChanceLevel() {
        List<StepReading> w = new ArrayList<>();
        for (int i = 1; i <= 150; i++) w.add(new StepReading(i, 0, Math.log(10) + (i % 2 == 0 ? 0.01 : -0.01), false, Double.NaN, List.of(), List.of()));
        Finding f = LossStuckAtChanceDetector.defaults().examine(w, FACTS).orElseThrow();
        assertEquals("loss_stuck_at_chance", f.id());
        assertTrue(f.evidence().getFirst().contains("ln(10)"));
    }
}
