package dev.ravine.doctor.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.data.DataLoader;
import dev.ravine.data.Dataset;
import dev.ravine.data.GaussianBlobs;
import dev.ravine.nn.Activation;
import dev.ravine.nn.Linear;
import dev.ravine.nn.Module;
import dev.ravine.nn.Sequential;
import dev.ravine.nn.loss.CrossEntropyLoss;
import dev.ravine.optim.Optimizer;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.Rng;
import dev.ravine.train.BatchEvent;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingListener;
import dev.ravine.train.TrainingOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InstrumentPanelTest {
    static Dataset blobs(int n, long seed) {
        return GaussianBlobs.generate(n, seed);
    }

    @Test
    void readsNormsRatiosAndActivationsEveryKSteps() {
        Rng rng = new Rng(1);
        Linear first = new Linear(6, 8, true, rng);
        Module model = new Sequential(first, Activation.relu(), new Linear(8, 3, true, rng));
        // Unit 0 of the hidden layer can never fire: a dead ReLU by construction.
        java.util.Arrays.fill(first.weight().storage(), 0, 6, 0f);
        first.bias().storage()[0] = -100f;
        Optimizer sgd = Optimizers.sgd(model.namedParameters(), 0.1);
        Trainer trainer = new Trainer(model, new CrossEntropyLoss(), sgd, rng, TrainingOptions.epochs(1));
        InstrumentPanel panel = new InstrumentPanel(new InstrumentOptions(5, 3));
        trainer.addListener(panel);
        // An independent observer computes the first layer's gradient and update norms at a reading step.
        double[] expected = new double[3];
        float[] before = new float[first.weight().numel()];
        trainer.addListener(new TrainingListener() {
            @Override
            public void onGradients(Trainer t, long step) {
                if (step == 10) {
                    expected[0] = Math.sqrt(sq(first.weight().grad().values()) + sq(first.bias().grad().values()));
                    System.arraycopy(first.weight().values(), 0, before, 0, before.length);
                }
            }

            @Override
            public void onBatchEnd(Trainer t, BatchEvent e) {
                if (e.step() == 10) {
                    float[] after = first.weight().values();
                    double d = 0;
                    for (int i = 0; i < after.length; i++) d += Math.pow(after[i] - before[i], 2);
                    Map<String, float[]> u = t.optimizer().lastUpdates();
                    expected[1] = Math.sqrt(d + sq(u.get("0.bias")));
                    expected[2] = Math.sqrt(sq(after) + sq(first.bias().values()));
                }
            }
        });
        trainer.fit(new DataLoader(blobs(320, 2), 16, true, false, 3), null);

        List<StepReading> h = panel.history();
        assertEquals(20, h.size(), "a reading every step");
        assertTrue(h.get(0).full(), "step 1 is always read in full");
        assertFalse(h.get(1).full());
        assertTrue(h.get(9).full(), "step 10");
        assertEquals(List.of(1L, 5L, 10L, 15L, 20L), h.stream().filter(StepReading::full).map(StepReading::step).toList());

        StepReading r = h.get(9);
        LayerReading layer0 = r.layers().stream().filter(l -> l.layer().equals("0")).findFirst().orElseThrow();
        assertEquals(expected[0], layer0.gradNorm(), 1e-6 * expected[0]);
        assertEquals(expected[1], layer0.updateNorm(), 1e-5 * expected[1]);
        assertEquals(expected[2], layer0.weightNorm(), 1e-6 * expected[2]);
        assertEquals(layer0.updateNorm() / layer0.weightNorm(), layer0.updateRatio(), 1e-12);
        // plain SGD: update = -lr * grad
        assertEquals(0.1 * layer0.gradNorm(), layer0.updateNorm(), 1e-5 * layer0.updateNorm());

        ActivationReading relu = r.activations().stream().filter(a -> a.module().equals("1")).findFirst().orElseThrow();
        assertEquals("relu", relu.kind());
        assertTrue(relu.deadFraction() >= 1.0 / 8, "unit 0 never fires: " + relu.deadFraction());
        assertTrue(panel.deadOverWindow("1") >= 1.0 / 8);
        ActivationReading logits = r.activations().stream().filter(a -> a.module().equals("2")).findFirst().orElseThrow();
        assertEquals(1.0, logits.gsc(), 1e-9, "the last layer's output is the network's output: GSC 1");
        assertTrue(relu.gradNorm() > 0 && Double.isFinite(relu.gsc()));
    }

    @Test
    void saturatedSigmoidsAreCounted() {
        Rng rng = new Rng(4);
        Linear big = new Linear(6, 16, true, rng);
        for (int i = 0; i < big.weight().numel(); i++) big.weight().storage()[i] *= 200f;
        Module model = new Sequential(big, new Activation(Activation.Kind.SIGMOID), new Linear(16, 3, true, rng));
        Trainer trainer = new Trainer(model, new CrossEntropyLoss(), Optimizers.sgd(model.namedParameters(), 0.01), rng, TrainingOptions.epochs(1));
        InstrumentPanel panel = new InstrumentPanel(new InstrumentOptions(1, 1));
        trainer.addListener(panel);
        trainer.fit(new DataLoader(blobs(64, 5), 32, true, false, 3), null);
        ActivationReading s = panel.history().get(0).activations().stream().filter(a -> a.module().equals("1")).findFirst().orElseThrow();
        assertTrue(s.saturatedFraction() > 0.9, "weights x200 saturate the sigmoid: " + s.saturatedFraction());
    }

    private static double sq(float[] a) {
        double s = 0;
        for (float v : a) s += (double) v * v;
        return s;
    }
}
