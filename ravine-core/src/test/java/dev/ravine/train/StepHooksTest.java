package dev.ravine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.ravine.autograd.Autograd;
import dev.ravine.data.Batch;
import dev.ravine.data.DataLoader;
import dev.ravine.data.Dataset;
import dev.ravine.data.GaussianBlobs;
import dev.ravine.data.GaussianInputNoise;
import dev.ravine.nn.Activation;
import dev.ravine.nn.Linear;
import dev.ravine.nn.Module;
import dev.ravine.nn.Sequential;
import dev.ravine.nn.loss.CrossEntropyLoss;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.SeedMix;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepHooksTest {
    private static Module mlp(long seed) {
        Rng rng = new Rng(seed);
        return new Sequential(new Linear(6, 8, true, rng), new Activation(Activation.Kind.TANH), new Linear(8, 3, true, rng));
    }

    private static Trainer trainer(Module model, double lr, int epochs) {
        return new Trainer(model, new CrossEntropyLoss(), Optimizers.sgd(model.namedParameters(), lr), new Rng(1),
                TrainingOptions.epochs(epochs));
    }

    private static Map<String, float[]> weights(Module m) {
        Map<String, float[]> out = new LinkedHashMap<>();
        m.namedParameters().forEach((k, v) -> out.put(k, v.toArray()));
        return out;
    }

    @Test
    void hooksRunInTrainingStepsOnlyNeverInEvaluation() {
        Dataset data = GaussianBlobs.generate(40, 3);
        Module model = mlp(5);
        Trainer t = trainer(model, 0.1, 1);
        List<String> calls = new ArrayList<>();
        t.addStepHook(new StepHook() {
            @Override
            public Batch beforeForward(Trainer trainer, Batch batch, int epoch) {
                calls.add("before " + epoch + "/" + batch.index());
                return batch;
            }

            @Override
            public void afterBackward(Trainer trainer) {
                calls.add("after");
            }
        });
        Evaluation before = t.evaluate(new DataLoader(data, 16, false, false, 0));
        assertEquals(List.of(), calls, "evaluate does not run step hooks");
        t.fit(new DataLoader(data, 16, false, false, 0), new DataLoader(data, 16, false, false, 0));
        assertEquals(List.of("before 0/0", "after", "before 0/1", "after", "before 0/2", "after"), calls);
        assertNotEquals(before.loss(), t.evaluate(new DataLoader(data, 16, false, false, 0)).loss());
    }

    @Test
    void theStepTrainsOnTheHookedBatch() {
        // Inputs replaced by zeros: with tanh(0) = 0 the first layer's weights get no gradient, so they stay put.
        Dataset data = GaussianBlobs.generate(32, 4);
        Module model = mlp(6);
        float[] firstWeights = model.namedParameters().get("0.weight").toArray();
        Trainer t = trainer(model, 0.5, 1);
        t.addStepHook(new StepHook() {
            @Override
            public Batch beforeForward(Trainer trainer, Batch batch, int epoch) {
                return new Batch(Tensor.zeros(batch.inputs().shape()), batch.targets(), batch.labels(), batch.index(), batch.sampleIndices());
            }
        });
        t.fit(new DataLoader(data, 8, true, false, 1), null);
        assertArrayEquals(firstWeights, model.namedParameters().get("0.weight").toArray());
        assertNotEquals(0f, model.namedParameters().get("2.bias").toArray()[0] - mlp(6).namedParameters().get("2.bias").toArray()[0]);
    }

    @Test
    void inputNoiseRunsAreReproducible() {
        Dataset data = GaussianBlobs.generate(64, 5);
        float[][] finals = new float[2][];
        for (int run = 0; run < 2; run++) {
            Module model = mlp(7);
            Trainer t = trainer(model, 0.1, 2).addStepHook(StepHook.of(new GaussianInputNoise(0.3, 9)));
            t.fit(new DataLoader(data, 16, true, false, 2), null);
            finals[run] = model.namedParameters().get("2.weight").toArray();
        }
        assertArrayEquals(finals[0], finals[1]);
        Module plain = mlp(7);
        trainer(plain, 0.1, 2).fit(new DataLoader(data, 16, true, false, 2), null);
        assertFalse(java.util.Arrays.equals(finals[0], plain.namedParameters().get("2.weight").toArray()), "the noise changed training");
    }

    @Test
    void weightNoiseTakesTheGradientAtPerturbedWeightsAndRestoresThemExactly() {
        Dataset data = GaussianBlobs.generate(16, 6);
        Module model = mlp(8);
        Map<String, float[]> clean = weights(model);
        double sigma = 0.2;
        long seed = 13;
        Trainer t = trainer(model, 0.0, 1).addStepHook(new WeightNoise(sigma, seed));
        Map<String, float[]> gradients = new LinkedHashMap<>();
        Map<String, float[]> seenByListeners = new LinkedHashMap<>();
        t.addListener(new TrainingListener() {
            @Override
            public void onGradients(Trainer trainer, long step) {
                trainer.model().namedParameters().forEach((k, v) -> {
                    gradients.put(k, v.grad().toArray());
                    seenByListeners.put(k, v.toArray());
                });
            }
        });
        DataLoader loader = new DataLoader(data, 16, false, false, 0);
        t.fit(loader, null);

        // Listeners and the (lr 0) update see the clean weights, bit for bit.
        clean.forEach((k, v) -> assertArrayEquals(v, seenByListeners.get(k), k));
        clean.forEach((k, v) -> assertArrayEquals(v, model.namedParameters().get(k).toArray(), k));

        // The gradient is the one at the weights plus the documented noise (weights of rank >= 2 only, in order).
        Module twin = mlp(8);
        Rng rng = new Rng(SeedMix.of(seed, 0x574E4F495345L, 0, 0));
        for (Tensor w : twin.namedParameters().values()) {
            if (w.dim() < 2) continue;
            float[] v = w.toArray();
            for (int i = 0; i < v.length; i++) v[i] += (float) (sigma * rng.nextGaussian());
            w.copyFrom(v);
        }
        Batch batch = loader.epoch(0).iterator().next();
        Tensor loss = new CrossEntropyLoss().compute(twin.call(batch.inputs()), batch.targets());
        List<Tensor> params = new ArrayList<>(twin.namedParameters().values());
        List<Tensor> expected = Autograd.grad(loss, params, null, false);
        List<String> names = new ArrayList<>(twin.namedParameters().keySet());
        for (int i = 0; i < names.size(); i++) {
            assertArrayEquals(expected.get(i).toArray(), gradients.get(names.get(i)), 1e-6f, names.get(i));
        }
        Tensor cleanLoss = new CrossEntropyLoss().compute(mlp(8).call(batch.inputs()), batch.targets());
        assertNotEquals(cleanLoss.item(), loss.item(), "the noise moved the loss");
    }

    private static Trainer hookedTrainer(Module model) {
        Trainer t = new Trainer(model, new CrossEntropyLoss(), Optimizers.adam(model.namedParameters(), 0.01), new Rng(1),
                TrainingOptions.epochs(3));
        return t.addStepHook(StepHook.of(new GaussianInputNoise(0.2, 4)))
                .addStepHook(new AdversarialTraining(new Pgd(0.2, 0.1, 2, true, -10, 10), 0.5, 4))
                .addStepHook(new WeightNoise(0.05, 4));
    }

    @Test
    void aRunWithHooksResumedMidEpochRepeatsTheUninterruptedRunBitForBit() {
        Dataset data = GaussianBlobs.generate(70, 8);
        DataLoader loader = new DataLoader(data, 16, true, false, 3);
        Module full = mlp(9);
        hookedTrainer(full).fit(loader, null);

        Module first = mlp(9);
        Trainer interrupted = hookedTrainer(first);
        dev.ravine.io.Checkpoint[] atStep7 = new dev.ravine.io.Checkpoint[1];
        interrupted.addListener(new TrainingListener() {
            @Override
            public void onBatchEnd(Trainer t, BatchEvent e) {
                if (e.step() == 7) {
                    atStep7[0] = t.snapshot();
                    t.requestStop("test interrupt");
                }
            }
        });
        interrupted.fit(loader, null);
        Module resumed = mlp(9);
        Trainer again = hookedTrainer(resumed);
        again.resume(atStep7[0]);
        again.fit(loader, null);
        full.namedParameters().forEach((k, v) -> assertArrayEquals(v.toArray(), resumed.namedParameters().get(k).toArray(), k));
    }
}
