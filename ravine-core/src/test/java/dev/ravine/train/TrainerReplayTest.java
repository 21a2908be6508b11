package dev.ravine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ravine.data.Batch;
import dev.ravine.data.DataLoader;
import dev.ravine.data.GaussianBlobs;
import dev.ravine.io.Checkpoint;
import dev.ravine.nn.Activation;
import dev.ravine.nn.Dropout;
import dev.ravine.nn.Linear;
import dev.ravine.nn.Module;
import dev.ravine.nn.Sequential;
import dev.ravine.nn.loss.CrossEntropyLoss;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.Rng;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Trainer.replay re-runs steps on the same batches and state, unheard by listeners, and leaves the run untouched. */
class TrainerReplayTest {
    private static Trainer newTrainer() {
        Rng rng = new Rng(21);
        Module model = new Sequential(new Linear(6, 12, true, rng), Activation.relu(), new Dropout(0.3, rng), new Linear(12, 3, true, rng));
        return new Trainer(model, new CrossEntropyLoss(), Optimizers.adam(model.namedParameters(), 0.01), rng, TrainingOptions.epochs(2));
    }

    private static DataLoader loader() {
        return new DataLoader(GaussianBlobs.generate(200, 4), 32, true, false, 3); // 7 batches per epoch
    }

    @Test
    void replayedStepsHaveTheRecordedLossesAndTheRunContinuesAsIfNothingHappened() {
        Trainer plain = newTrainer();
        List<Double> reference = new ArrayList<>();
        plain.addListener(new TrainingListener() {
            @Override
            public void onBatchEnd(Trainer t, BatchEvent e) {
                reference.add(e.loss());
            }
        });
        plain.fit(loader(), null);

        Trainer replaying = newTrainer();
        List<Trainer.ReplayedStep> replayed = new ArrayList<>();
        List<Long> heard = new ArrayList<>();
        List<Integer> batchIndices = new ArrayList<>();
        replaying.addListener(new TrainingListener() {
            Checkpoint atFive;

            @Override
            public void onGradients(Trainer t, long step) {
                heard.add(step);
            }

            @Override
            public void onBatchEnd(Trainer t, BatchEvent e) {
                if (e.step() == 5) atFive = t.snapshot();
                if (e.step() == 9) { // across the epoch boundary: steps 6 and 7 end epoch 1, 8 and 9 begin epoch 2
                    replayed.addAll(t.replay(atFive, 9, new Trainer.ReplayObserver() {
                        @Override
                        public void beforeStep(long step, Batch batch) {
                            batchIndices.add(batch.index());
                        }

                        @Override
                        public boolean afterStep(Trainer.ReplayedStep step) {
                            return false;
                        }
                    }));
                }
            }
        });
        replaying.fit(loader(), null);

        assertEquals(List.of(6L, 7L, 8L, 9L), replayed.stream().map(Trainer.ReplayedStep::step).toList());
        assertEquals(List.of(5, 6, 0, 1), batchIndices);
        for (Trainer.ReplayedStep r : replayed) assertEquals(reference.get((int) r.step() - 1), r.loss(), 0.0, "step " + r.step());
        assertEquals(14, heard.size(), "listeners heard only the 14 real steps' gradients");
        for (String name : plain.model().namedParameters().keySet()) {
            assertArrayEquals(plain.model().namedParameters().get(name).values(), replaying.model().namedParameters().get(name).values(),
                    name + " after the run equals the run without a replay");
        }
    }

    @Test
    void theObserverCanEndTheReplay() {
        Trainer t = newTrainer();
        List<Long> steps = new ArrayList<>();
        t.addListener(new TrainingListener() {
            Checkpoint start;

            @Override
            public void onTrainingStart(Trainer trainer) {
                start = trainer.snapshot();
            }

            @Override
            public void onBatchEnd(Trainer trainer, BatchEvent e) {
                if (e.step() != 6) return;
                trainer.replay(start, 6, new Trainer.ReplayObserver() {
                    @Override
                    public void beforeStep(long step, Batch batch) {}

                    @Override
                    public boolean afterStep(Trainer.ReplayedStep step) {
                        steps.add(step.step());
                        return step.step() == 2;
                    }
                });
            }
        });
        t.fit(loader(), null);
        assertEquals(List.of(1L, 2L), steps);
    }

    @Test
    void replayOutsideAFitIsRefused() {
        Trainer t = newTrainer();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.replay(t.snapshot(), 3, null));
        assertEquals("replay needs the training data of a fit in progress", e.getMessage());
    }
}
