package dev.ravine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.data.DataLoader;
import dev.ravine.nn.Activation;
import dev.ravine.nn.Linear;
import dev.ravine.nn.Module;
import dev.ravine.nn.Sequential;
import dev.ravine.nn.loss.CrossEntropyLoss;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.Rng;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EarlyStoppingTest {
    private record Result(TrainingResult result, List<float[]> weightsByEpoch, Module model, EarlyStopping stopping) {}

    private static Result run(EarlyStopping stopping, int epochs) {
        Rng rng = new Rng(11);
        Module model = new Sequential(new Linear(6, 8, true, rng), Activation.relu(), new Linear(8, 3, true, rng));
        Trainer trainer = new Trainer(model, new CrossEntropyLoss(), Optimizers.sgd(model.namedParameters(), 0.05), rng, TrainingOptions.epochs(epochs));
        List<float[]> weights = new ArrayList<>();
        trainer.addListener(new TrainingListener() {
            @Override
            public void onEpochEnd(Trainer t, EpochEvent e) {
                weights.add(t.model().namedParameters().get("0.weight").toArray());
            }
        });
        trainer.addListener(stopping);
        TrainingResult r = trainer.fit(new DataLoader(TrainerTest.blobs(120, 1), 32, true, false, 5),
                new DataLoader(TrainerTest.blobs(60, 2), 60, false, false, 5));
        return new Result(r, weights, model, stopping);
    }

    @Test
    void stopsAfterPatienceEpochsWithoutImprovementAndRestoresTheBestWeights() {
        // min_delta 100: only the first epoch counts as an improvement, so the run stops after 1 + patience epochs.
        Result r = run(new EarlyStopping("val_loss", EarlyStopping.Mode.MIN, 3, 100, true), 20);
        assertEquals(TrainingStatus.STOPPED, r.result.status());
        assertEquals(4, r.result.history().size());
        assertEquals(1, r.stopping.bestEpoch());
        assertTrue(r.stopping.stoppedEarly());
        assertTrue(r.result.reason().contains("early stopping"), r.result.reason());
        assertArrayEquals(r.weightsByEpoch.get(0), r.model.namedParameters().get("0.weight").values(), 0f, "the best epoch's weights");
        assertFalse(java.util.Arrays.equals(r.weightsByEpoch.get(3), r.model.namedParameters().get("0.weight").values()));
    }

    @Test
    void replayingARunsEpochsRecoversItsBestEpochPatienceAndStop() {
        Result r = run(new EarlyStopping("val_loss", EarlyStopping.Mode.MIN, 2, 0.01, false), 40);
        List<EpochEvent> h = r.result.history();
        assertTrue(r.stopping.stoppedEarly(), "the run must stop early for this test to mean anything");
        EarlyStopping whole = new EarlyStopping("val_loss", EarlyStopping.Mode.MIN, 2, 0.01, false);
        whole.replay(h);
        assertTrue(whole.stoppedEarly());
        assertEquals(r.stopping.bestEpoch(), whole.bestEpoch());
        assertEquals(r.stopping.bestValue(), whole.bestValue());
        assertEquals(r.result.reason(), whole.reason(), "the reason a resumed run reports is the one the run stopped with");
        // all but the last epoch: patience not yet used up, so a resumed run would train on
        EarlyStopping prefix = new EarlyStopping("val_loss", EarlyStopping.Mode.MIN, 2, 0.01, false);
        prefix.replay(h.subList(0, h.size() - 1));
        assertFalse(prefix.stoppedEarly());
        prefix.replay(h.subList(h.size() - 1, h.size()));
        assertTrue(prefix.stoppedEarly(), "the last epoch used up the patience the earlier ones left");
    }

    @Test
    void tracksTheBestEpochOfARealRunInMaxMode() {
        Result r = run(new EarlyStopping("val_accuracy", EarlyStopping.Mode.MAX, 2, 0, true), 12);
        List<EpochEvent> h = r.result.history();
        int best = 0;
        for (int i = 0; i < h.size(); i++) if (h.get(i).valAccuracy() > h.get(best).valAccuracy()) best = i;
        assertEquals(best + 1, r.stopping.bestEpoch());
        assertEquals(h.get(best).valAccuracy(), r.stopping.bestValue());
        assertArrayEquals(r.weightsByEpoch.get(best), r.model.namedParameters().get("0.weight").values(), 0f);
        if (r.result.status() == TrainingStatus.STOPPED) assertEquals(best + 1 + 2, h.size());
    }

    @Test
    void withoutRestoreTheLastWeightsStay() {
        Result r = run(new EarlyStopping("train_loss", EarlyStopping.Mode.MIN, 1, 100, false), 10);
        assertEquals(2, r.result.history().size());
        assertArrayEquals(r.weightsByEpoch.get(1), r.model.namedParameters().get("0.weight").values(), 0f);
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping("val_los", EarlyStopping.Mode.MIN, 1, 0, false));
    }
}
