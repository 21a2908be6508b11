package dev.ravine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.data.DataLoader;
import dev.ravine.io.Checkpoint;
import dev.ravine.io.CheckpointFile;
import dev.ravine.nn.Activation;
import dev.ravine.nn.Linear;
import dev.ravine.nn.Module;
import dev.ravine.nn.Sequential;
import dev.ravine.nn.loss.CrossEntropyLoss;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.Rng;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BestCheckpointTest {
    @TempDir
    Path dir;

    @Test
    void bestCkptHoldsTheEpochOfLowestValidationLossAndSurvivesTheRollingDeletion() {
        Rng rng = new Rng(3);
        Module model = new Sequential(new Linear(6, 16, true, rng), Activation.relu(), new Linear(16, 3, true, rng));
        // A learning rate high enough that the validation loss goes up and down, so the best is not the last epoch.
        Trainer trainer = new Trainer(model, new CrossEntropyLoss(), Optimizers.sgd(model.namedParameters(), 0.9), rng,
                new TrainingOptions(10, dir, 0, 1));
        List<float[]> weights = new ArrayList<>();
        trainer.addListener(new TrainingListener() {
            @Override
            public void onEpochEnd(Trainer t, EpochEvent e) {
                weights.add(t.model().namedParameters().get("0.weight").toArray());
            }
        });
        BestCheckpoint best = BestCheckpoint.byValidationLoss(dir);
        trainer.addListener(best);
        TrainingResult r = trainer.fit(new DataLoader(TrainerTest.blobs(120, 1), 8, true, false, 5),
                new DataLoader(TrainerTest.blobs(60, 2), 60, false, false, 5));

        List<EpochEvent> h = r.history();
        int lowest = 0;
        for (int i = 0; i < h.size(); i++) if (h.get(i).valLoss() < h.get(lowest).valLoss()) lowest = i;
        assertTrue(lowest < h.size() - 1, "the test needs a run whose best epoch is not its last: " + h);
        assertEquals(lowest + 1, best.bestEpoch());
        assertEquals(h.get(lowest).valLoss(), best.bestValue());
        assertTrue(Files.isRegularFile(dir.resolve("best.ckpt")));
        Checkpoint saved = CheckpointFile.read(dir.resolve("best.ckpt"));
        assertEquals(lowest + 1, saved.epoch());
        assertEquals(h.get(lowest).step(), saved.step());
        assertArrayEquals(weights.get(lowest), saved.parameters().get("0.weight"), 0f);
        assertEquals(Trainer.latestCheckpoint(dir).getFileName().toString(), String.format("step-%09d.ckpt", r.steps()),
                "keep 1: only the newest rolling checkpoint is left beside best.ckpt, and it is the one picked as newest");
    }

    @Test
    void withoutAFiniteMetricNothingIsWritten() {
        Rng rng = new Rng(3);
        Module model = new Sequential(new Linear(6, 3, true, rng));
        Trainer trainer = new Trainer(model, new CrossEntropyLoss(), Optimizers.sgd(model.namedParameters(), 0.1), rng,
                new TrainingOptions(2, dir, 0, 2));
        BestCheckpoint best = BestCheckpoint.byValidationLoss(dir);
        trainer.addListener(best);
        trainer.fit(new DataLoader(TrainerTest.blobs(60, 1), 30, true, false, 5), null);
        assertFalse(best.written(), "no validation data: no validation loss");
        assertFalse(Files.exists(dir.resolve("best.ckpt")));
    }
}
