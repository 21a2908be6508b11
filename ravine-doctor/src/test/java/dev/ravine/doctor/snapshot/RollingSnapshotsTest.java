package dev.ravine.doctor.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.data.DataLoader;
import dev.ravine.data.Dataset;
import dev.ravine.nn.Linear;
import dev.ravine.nn.Module;
import dev.ravine.nn.Sequential;
import dev.ravine.nn.loss.MseLoss;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.Rng;
import dev.ravine.train.BatchEvent;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingListener;
import dev.ravine.train.TrainingOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One set of snapshots heard by several users: one copy per due step, none of an abandoned path, at most keep held. */
class RollingSnapshotsTest {
    private static Trainer trainer(int epochs) {
        Rng rng = new Rng(3);
        float[] x = new float[100 * 4], y = new float[100];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        for (int i = 0; i < y.length; i++) y[i] = (float) rng.nextGaussian();
        Module model = new Sequential(new Linear(4, 1, true, rng));
        return new Trainer(model, new MseLoss(), Optimizers.sgd(model.namedParameters(), 0.01), rng, TrainingOptions.epochs(epochs));
    }

    private static DataLoader data() {
        Rng rng = new Rng(4);
        float[] x = new float[100 * 4], y = new float[100];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        for (int i = 0; i < y.length; i++) y[i] = (float) rng.nextGaussian();
        return new DataLoader(Dataset.regression(x, new int[] {4}, y, new int[] {1}), 10, true, false, 1);
    }

    /** A listener that passes every step on, as the tracer, the probes and the repair each do. */
    private static TrainingListener user(RollingSnapshots s) {
        return new TrainingListener() {
            @Override
            public void onTrainingStart(Trainer trainer) {
                s.start(trainer);
            }

            @Override
            public void onBatchEnd(Trainer trainer, BatchEvent event) {
                s.afterStep(trainer, event);
            }
        };
    }

    @Test
    void threeUsersOfOneStepTakeOneSnapshotAndAtMostKeepAreHeld() {
        RollingSnapshots s = new RollingSnapshots(5, 3);
        Trainer t = trainer(4); // 40 steps
        t.addListener(user(s)).addListener(user(s)).addListener(user(s));
        t.fit(data(), null);
        List<Long> steps = s.held().stream().map(RollingSnapshots.Snapshot::step).toList();
        assertEquals(3, steps.size(), steps::toString);
        assertEquals(40, steps.getLast());
        assertEquals(List.of(30L, 35L, 40L), steps);
        assertEquals(1 + 40 / 5, s.taken(), "the start and one snapshot per due step, not three");
        assertEquals(0, s.start().step());
        long one = RollingSnapshots.bytes(s.start().checkpoint());
        assertEquals(4L * 5, one, "4 weights and a bias of plain SGD"); // no optimizer state
        assertEquals(4 * one, s.peakBytes(), "the start and 3 held");
    }

    @Test
    void aRollbackDropsTheSnapshotsOfTheAbandonedPathAndTheStartCanBeRedrawn() {
        RollingSnapshots s = new RollingSnapshots(5, 4);
        Trainer t = trainer(3); // 30 steps
        boolean[] done = {false};
        t.addListener(user(s)).addListener(new TrainingListener() {
            @Override
            public void onBatchEnd(Trainer trainer, BatchEvent event) {
                if (event.step() == 22 && !done[0]) {
                    done[0] = true;
                    RollingSnapshots.Snapshot back = s.newestBefore(12).orElseThrow();
                    assertEquals(10, back.step());
                    trainer.rollback(back.checkpoint());
                    s.rolledBack(back.step());
                    assertEquals(List.of(5L, 10L), s.held().stream().map(RollingSnapshots.Snapshot::step).toList());
                }
            }
        });
        t.fit(data(), null);
        List<Long> steps = s.held().stream().map(RollingSnapshots.Snapshot::step).toList();
        assertEquals(List.of(15L, 20L, 25L, 30L), steps);
        assertEquals(0, s.newestBefore(1).orElseThrow().step(), "before any rolling one, the start");
        float[] before = s.start().checkpoint().parameters().get("0.weight").clone();
        t.model().namedParameters().get("0.weight").storage()[0] += 1;
        s.replaceStart(t);
        assertTrue(s.start().checkpoint().parameters().get("0.weight")[0] != before[0]);
        assertArrayEquals(t.model().namedParameters().get("0.weight").toArray(), s.start().checkpoint().parameters().get("0.weight"));
    }

    @Test
    void olderSnapshotsStaySpreadOverTheRunWithinTheirBound() {
        RollingSnapshots s = new RollingSnapshots(5, 4, 4);
        Trainer t = trainer(20); // 200 steps: 40 due snapshots, at most 8 held
        t.addListener(user(s));
        t.fit(data(), null);
        List<Long> steps = s.held().stream().map(RollingSnapshots.Snapshot::step).toList();
        assertEquals(8, steps.size(), steps::toString);
        assertEquals(List.of(185L, 190L, 195L, 200L), steps.subList(4, 8), "the newest keep, every 5 steps");
        // the older four cover the run: none of them closer than 20 steps to the next, the first in its first half
        for (int i = 1; i < 5; i++) assertTrue(steps.get(i) - steps.get(i - 1) >= 20, steps::toString);
        assertTrue(steps.getFirst() <= 100, steps::toString);
        assertEquals(1 + 200 / 5, s.taken(), "every 5 steps, counted in steps whatever the copies cost");
    }

    @Test
    void whichSnapshotsExistDependsOnTheStepsAlone() {
        List<List<Long>> runs = new java.util.ArrayList<>();
        for (int run = 0; run < 2; run++) {
            RollingSnapshots s = RollingSnapshots.defaults();
            Trainer t = trainer(9);
            t.addListener(user(s));
            if (run == 1) t.addListener(new TrainingListener() { // a slow step: copies become a small share of it
                @Override
                public void onBatchEnd(Trainer trainer, BatchEvent event) {
                    if (event.step() % 7 == 0) java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
                }
            });
            t.fit(data(), null);
            runs.add(s.held().stream().map(RollingSnapshots.Snapshot::step).toList());
        }
        assertEquals(runs.get(0), runs.get(1));
    }
}
