package dev.ravine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.data.DataLoader;
import dev.ravine.data.Dataset;
import dev.ravine.data.GaussianBlobs;
import dev.ravine.io.Checkpoint;
import dev.ravine.io.CheckpointFile;
import dev.ravine.nn.Activation;
import dev.ravine.nn.BatchNorm;
import dev.ravine.nn.Dropout;
import dev.ravine.nn.Linear;
import dev.ravine.nn.Module;
import dev.ravine.nn.Sequential;
import dev.ravine.nn.loss.CrossEntropyLoss;
import dev.ravine.optim.Optimizer;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.Rng;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {

    /** Two Gaussian blobs per class in 6 dimensions: learnable, but not in one step. */
    static Dataset blobs(int n, long seed) {
        return GaussianBlobs.generate(n, seed);
    }

    private record Run(Module model, Optimizer optimizer, Rng rng, Trainer trainer) {}

    private static Run newRun(Path checkpoints, int epochs) {
        Rng rng = new Rng(11);
        Module model = new Sequential(new Linear(6, 16, true, rng), BatchNorm.of1d(16), Activation.relu(), new Dropout(0.2, rng), new Linear(16, 3, true, rng));
        Optimizer opt = Optimizers.adam(model.namedParameters(), 0.01);
        TrainingOptions options = TrainingOptions.epochs(epochs);
        if (checkpoints != null) options = options.withCheckpoints(checkpoints, 7);
        Trainer trainer = new Trainer(model, new CrossEntropyLoss(), opt, rng, options);
        return new Run(model, opt, rng, trainer);
    }

    private static List<Double> recordLosses(Trainer trainer) {
        List<Double> losses = new ArrayList<>();
        trainer.addListener(new TrainingListener() {
            @Override
            public void onBatchEnd(Trainer t, BatchEvent e) {
                losses.add(e.loss());
            }
        });
        return losses;
    }

    @Test
    void learnsAndReportsHistory() {
        Dataset data = blobs(600, 1);
        Run run = newRun(null, 5);
        TrainingResult result = run.trainer.fit(new DataLoader(data, 32, true, false, 5), new DataLoader(blobs(200, 2), 64, false, false, 5));
        assertEquals(TrainingStatus.COMPLETED, result.status());
        assertEquals(5, result.history().size());
        assertEquals(5 * 19, result.steps());
        assertTrue(result.history().get(4).trainLoss() < result.history().get(0).trainLoss(), "training loss falls");
        assertTrue(result.valAccuracy() > 0.8, "validation accuracy " + result.valAccuracy());
    }

    @Test
    void resumingFromACheckpointReproducesTheUninterruptedLossesExactly(@TempDir Path dir) {
        Dataset data = blobs(300, 3);
        DataLoader loader = new DataLoader(data, 32, true, false, 9);

        Run full = newRun(null, 3);
        List<Double> reference = recordLosses(full.trainer);
        full.trainer.fit(loader, null);

        // Train a first run that writes a checkpoint every 7 steps (mid-epoch ones included), stop it after step 14.
        Run first = newRun(dir, 3);
        first.trainer.addListener(new TrainingListener() {
            @Override
            public void onBatchEnd(Trainer t, BatchEvent e) {
                if (e.step() == 14) t.requestStop("test interrupt");
            }
        });
        TrainingResult stopped = first.trainer.fit(loader, null);
        assertEquals(TrainingStatus.STOPPED, stopped.status());
        Path latest = Trainer.latestCheckpoint(dir);
        assertNotNull(latest);
        Checkpoint c = CheckpointFile.read(latest);
        assertEquals(14, c.step());

        Run resumed = newRun(null, 3);
        resumed.trainer.resume(c);
        List<Double> tail = recordLosses(resumed.trainer);
        resumed.trainer.fit(loader, null);
        assertEquals(reference.size() - 14, tail.size());
        for (int i = 0; i < tail.size(); i++) {
            assertEquals(reference.get(14 + i), tail.get(i), 0.0, "loss at step " + (15 + i));
        }
        assertArrayEquals(full.model.namedParameters().get("4.weight").values(), resumed.model.namedParameters().get("4.weight").values());
    }

    @Test
    void rollbackReturnsToTheSnapshotAndReplaysTheSameBatches() {
        Dataset data = blobs(200, 4);
        DataLoader loader = new DataLoader(data, 20, true, false, 3);
        Run run = newRun(null, 1);
        List<Double> losses = recordLosses(run.trainer);
        Checkpoint[] saved = new Checkpoint[1];
        boolean[] rolledBack = new boolean[1];
        run.trainer.addListener(new TrainingListener() {
            @Override
            public void onBatchEnd(Trainer t, BatchEvent e) {
                if (e.step() == 3) saved[0] = t.snapshot();
                if (e.step() == 6 && !rolledBack[0]) {
                    rolledBack[0] = true;
                    t.rollback(saved[0]);
                }
            }
        });
        TrainingResult r = run.trainer.fit(loader, null);
        // steps 4..6 ran twice: 10 batches + 3 replayed
        assertEquals(13, losses.size());
        assertEquals(losses.get(3), losses.get(6), 0.0);
        assertEquals(losses.get(5), losses.get(8), 0.0);
        assertEquals(10, r.steps());
    }

    @Test
    void aNanLossStopsTheRunAsDiverged() {
        // Least squares with a step far above 2/sharpness: the iterates grow geometrically until the loss overflows.
        Rng rng = new Rng(1);
        float[] x = new float[100 * 6], y = new float[100];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        for (int i = 0; i < y.length; i++) y[i] = (float) rng.nextGaussian();
        Dataset data = Dataset.regression(x, new int[] {6}, y, new int[] {1});
        Module model = new Sequential(new Linear(6, 1, true, rng));
        Optimizer opt = Optimizers.sgd(model.namedParameters(), 10);
        Trainer trainer = new Trainer(model, new dev.ravine.nn.loss.MseLoss(), opt, rng, TrainingOptions.epochs(50));
        TrainingResult r = trainer.fit(new DataLoader(data, 10, true, false, 1), null);
        assertEquals(TrainingStatus.DIVERGED, r.status());
        assertTrue(r.reason().contains("step"), r.reason());
    }

    @Test
    void aListenerCanRepairADivergingRunByRollingBackWithALowerLearningRate() {
        Rng rng = new Rng(1);
        float[] x = new float[100 * 6], y = new float[100];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        for (int i = 0; i < y.length; i++) y[i] = (float) rng.nextGaussian();
        Dataset data = Dataset.regression(x, new int[] {6}, y, new int[] {1});
        Module model = new Sequential(new Linear(6, 1, true, rng));
        Optimizer opt = Optimizers.sgd(model.namedParameters(), 10);
        Trainer trainer = new Trainer(model, new dev.ravine.nn.loss.MseLoss(), opt, rng, TrainingOptions.epochs(3));
        Checkpoint start = trainer.snapshot();
        long[] repairedAt = {-1};
        trainer.addListener(new TrainingListener() {
            @Override
            public void onNonFiniteLoss(Trainer t, long step, int epoch, double loss) {
                if (repairedAt[0] > 0) {
                    t.requestStop("a second divergence: the repair did not work");
                    return;
                }
                repairedAt[0] = step;
                t.rollback(start);
                t.setLrScale(0.001); // lr 10 -> 0.01: stable for this least-squares problem
            }
        });
        TrainingResult r = trainer.fit(new DataLoader(data, 10, true, false, 1), null);
        assertTrue(repairedAt[0] > 0, "the run diverged once");
        assertEquals(TrainingStatus.COMPLETED, r.status());
        assertTrue(Double.isFinite(r.trainLoss()) && r.trainLoss() < 3, "after the repair the loss is finite: " + r.trainLoss());
    }

    @Test
    void checkpointFilesRoundTripAndRejectCorruption(@TempDir Path dir) throws Exception {
        Run run = newRun(null, 1);
        run.trainer.fit(new DataLoader(blobs(64, 6), 16, true, false, 1), null);
        Checkpoint c = run.trainer.snapshot();
        Path file = dir.resolve("a.ckpt");
        CheckpointFile.write(file, c);
        Checkpoint back = CheckpointFile.read(file);
        assertEquals(c.step(), back.step());
        assertArrayEquals(c.parameters().get("0.weight"), back.parameters().get("0.weight"));
        assertArrayEquals(c.rngState(), back.rngState());
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        java.nio.file.Files.write(dir.resolve("cut.ckpt"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.ravine.io.CheckpointException.class, () -> CheckpointFile.read(dir.resolve("cut.ckpt")));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }
}
