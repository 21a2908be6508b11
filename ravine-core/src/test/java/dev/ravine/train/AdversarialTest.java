package dev.ravine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.data.Batch;
import dev.ravine.data.DataLoader;
import dev.ravine.data.Dataset;
import dev.ravine.data.GaussianBlobs;
import dev.ravine.nn.Activation;
import dev.ravine.nn.Linear;
import dev.ravine.nn.Module;
import dev.ravine.nn.Sequential;
import dev.ravine.nn.loss.CrossEntropyLoss;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import org.junit.jupiter.api.Test;

class AdversarialTest {
    private static final CrossEntropyLoss CE = new CrossEntropyLoss();

    private static double loss(Module model, float[] x, int[] shape, Tensor targets) {
        model.eval();
        double l = CE.compute(model.call(Tensor.of(x.clone(), shape)), targets).item();
        model.train(true);
        return l;
    }

    @Test
    void fgsmOnALinearModelIsEpsilonTimesTheSignOfWTransposeTimesSoftmaxMinusOneHot() {
        Rng rng = new Rng(3);
        Linear linear = new Linear(5, 3, false, rng);
        float[] w = linear.weight().toArray();
        float[] x = {0.2f, -0.4f, 0.1f, 0.9f, -0.3f, 0.5f, 0.5f, -0.1f, 0.0f, 0.3f};
        int[] labels = {2, 0};
        Tensor targets = Tensor.of(new float[] {2, 0}, 2);
        double eps = 0.05;
        float[] adv = new Fgsm(eps, -10, 10).perturb(linear, CE, x, new int[] {2, 5}, targets, new Rng(0));
        for (int s = 0; s < 2; s++) {
            double[] z = new double[3];
            for (int k = 0; k < 3; k++) for (int j = 0; j < 5; j++) z[k] += w[k * 5 + j] * x[s * 5 + j];
            double max = Math.max(z[0], Math.max(z[1], z[2])), norm = 0;
            double[] p = new double[3];
            for (int k = 0; k < 3; k++) norm += p[k] = Math.exp(z[k] - max);
            for (int j = 0; j < 5; j++) {
                double g = 0; // d loss / d x_j = sum_k W[k][j] (p_k - [k == y]) (over the batch mean: / 2, same sign)
                for (int k = 0; k < 3; k++) g += w[k * 5 + j] * (p[k] / norm - (k == labels[s] ? 1 : 0));
                assertEquals(x[s * 5 + j] + eps * Math.signum(g), adv[s * 5 + j], 1e-7, "sample " + s + " input " + j);
            }
        }
    }

    @Test
    void fgsmClipsToTheDataRange() {
        Linear linear = new Linear(4, 2, true, new Rng(1));
        float[] x = {0f, 1f, 0.5f, 0.99f};
        float[] adv = new Fgsm(0.3, 0, 1).perturb(linear, CE, x, new int[] {1, 4}, Tensor.of(new float[] {1}, 1), new Rng(0));
        for (float v : adv) assertTrue(v >= 0 && v <= 1, "in [0, 1]: " + v);
    }

    private static Module trainedMlp(Dataset data) {
        Rng rng = new Rng(4);
        Module model = new Sequential(new Linear(6, 16, true, rng), Activation.relu(), new Linear(16, 3, true, rng));
        new Trainer(model, CE, Optimizers.adam(model.namedParameters(), 0.02), rng, TrainingOptions.epochs(5))
                .fit(new DataLoader(data, 32, true, false, 1), null);
        return model;
    }

    @Test
    void pgdStaysInTheBallAndRaisesTheLossAtLeastAsMuchAsFgsm() {
        Dataset data = GaussianBlobs.generate(256, 9);
        Module model = trainedMlp(data);
        Batch batch = new DataLoader(data, 64, false, false, 0).epoch(0).iterator().next();
        float[] x = batch.inputs().toArray();
        int[] shape = batch.inputs().shape();
        double eps = 0.4;
        float[] fgsm = new Fgsm(eps, -100, 100).perturb(model, CE, x, shape, batch.targets(), new Rng(0));
        for (boolean randomStart : new boolean[] {false, true}) {
            float[] pgd = new Pgd(eps, eps / 4, 10, randomStart, -100, 100).perturb(model, CE, x, shape, batch.targets(), new Rng(5));
            for (int i = 0; i < x.length; i++) assertTrue(Math.abs(pgd[i] - x[i]) <= eps + 1e-6, "in the ball at " + i);
            double clean = loss(model, x, shape, batch.targets());
            double lFgsm = loss(model, fgsm, shape, batch.targets());
            double lPgd = loss(model, pgd, shape, batch.targets());
            assertTrue(lFgsm > clean, "FGSM raises the loss: " + clean + " -> " + lFgsm);
            assertTrue(lPgd >= lFgsm, "PGD (random start " + randomStart + ") " + lPgd + " >= FGSM " + lFgsm);
        }
    }

    @Test
    void pgdClipsToTheDataRange() {
        Dataset data = GaussianBlobs.generate(64, 2);
        Module model = trainedMlp(data);
        Batch batch = new DataLoader(data, 64, false, false, 0).epoch(0).iterator().next();
        float[] pgd = new Pgd(1.0, 0.3, 5, true, -0.5, 0.5).perturb(model, CE, batch.inputs().toArray(), batch.inputs().shape(),
                batch.targets(), new Rng(1));
        for (float v : pgd) assertTrue(v >= -0.5f && v <= 0.5f, "in the data range: " + v);
    }

    @Test
    void adversarialTrainingReplacesTheMixedFractionOfEachBatch() {
        Dataset data = GaussianBlobs.generate(40, 3);
        Module model = trainedMlp(data);
        Batch batch = new DataLoader(data, 40, false, false, 0).epoch(0).iterator().next();
        float[] clean = batch.inputs().toArray();
        Trainer trainer = new Trainer(model, CE, Optimizers.sgd(model.namedParameters(), 0.1), new Rng(0), TrainingOptions.epochs(1));
        AdversarialTraining hook = new AdversarialTraining(new Fgsm(0.1, -100, 100), 0.25, 17);
        float[] mixed = hook.beforeForward(trainer, batch, 0).inputs().toArray();
        int changedRows = 0;
        for (int s = 0; s < 40; s++) {
            boolean changed = false;
            for (int j = 0; j < 6; j++) {
                float d = Math.abs(mixed[s * 6 + j] - clean[s * 6 + j]);
                assertTrue(d == 0 || Math.abs(d - 0.1f) < 1e-6, "a change is +-epsilon or nothing");
                changed |= d != 0;
            }
            if (changed) changedRows++;
        }
        assertEquals(10, changedRows, "round(0.25 * 40) samples are adversarial");
        assertArrayEquals(mixed, hook.beforeForward(trainer, batch, 0).inputs().toArray(), "seeded by (seed, epoch, batch)");
        assertArrayEquals(clean, batch.inputs().toArray(), "the loaded batch is left as it was");
        assertTrue(model.isTraining(), "the attack restores training mode");
    }

    @Test
    void robustAccuracyIsTheAccuracyOnTheAttackedSamplesAndNoHigherThanClean() {
        Dataset data = GaussianBlobs.generate(200, 9);
        Module model = trainedMlp(data);
        DataLoader loader = new DataLoader(data, 64, false, false, 0);
        Trainer trainer = new Trainer(model, CE, Optimizers.sgd(model.namedParameters(), 0.1), new Rng(0), TrainingOptions.epochs(1));
        Evaluation clean = trainer.evaluate(loader);
        Fgsm fgsm = new Fgsm(0.5, -100, 100);
        Evaluation robust = AdversarialEvaluation.evaluate(model, CE, fgsm, loader, 1);
        Evaluation none = AdversarialEvaluation.evaluate(model, CE, new Fgsm(0, -100, 100), loader, 1);
        assertEquals(clean.accuracy(), none.accuracy(), 0.0, "an attack of radius 0 changes nothing");
        assertEquals(clean.loss(), none.loss(), 1e-6);
        assertTrue(robust.accuracy() < clean.accuracy() && robust.loss() > clean.loss(), clean + " vs " + robust);
        // The same number by hand: attack each batch, count the right answers.
        int correct = 0;
        for (Batch b : loader.epoch(0)) {
            float[] adv = fgsm.perturb(model, CE, b.inputs().toArray(), b.inputs().shape(), b.targets(), new Rng(0));
            model.eval();
            int[] predicted = model.call(Tensor.of(adv, b.inputs().shape())).argmax(1);
            model.train(true);
            for (int i = 0; i < predicted.length; i++) if (predicted[i] == b.labels()[i]) correct++;
        }
        assertEquals(correct / 200.0, robust.accuracy(), 0.0);
        assertTrue(model.isTraining());
    }

    @Test
    void theDataRangeIsTheSmallestAndLargestValue() {
        assertArrayEquals(new double[] {-1, 3}, AdversarialAttack.rangeOf(new float[] {0.2f, -1f, 3f, 0f}));
        assertArrayEquals(new double[] {2, 3}, AdversarialAttack.rangeOf(new float[] {2f, 2f}), "constant data: [v, v + 1]");
    }
}
