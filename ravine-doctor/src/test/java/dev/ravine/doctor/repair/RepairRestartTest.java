package dev.ravine.doctor.repair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.data.DataLoader;
import dev.ravine.data.Dataset;
import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Remedies;
import dev.ravine.doctor.finding.Severity;
import dev.ravine.doctor.probe.ArmResult;
import dev.ravine.doctor.probe.EffectSize;
import dev.ravine.doctor.probe.Hypothesis;
import dev.ravine.doctor.probe.ProbeOutcome;
import dev.ravine.doctor.probe.ProbeStart;
import dev.ravine.doctor.snapshot.RollingSnapshots;
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
import dev.ravine.train.TrainingResult;
import dev.ravine.train.TrainingStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A probe-confirmed change the trainer cannot make (here clipping) restarts the run from step 0, once, and only while
 * the steps it throws away are at most a tenth of the run's; a change the trainer can make never restarts it.
 */
class RepairRestartTest {
    /** 200 planned steps: 10 epochs of 20 batches. */
    private static TrainingResult run(RepairPolicy repair, long probedAt, String change) {
        Rng rng = new Rng(1);
        float[] x = new float[200 * 6], y = new float[200];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        for (int i = 0; i < y.length; i++) y[i] = (float) rng.nextGaussian();
        Module model = new Sequential(new Linear(6, 1, true, rng));
        Trainer trainer = new Trainer(model, new MseLoss(), Optimizers.sgd(model.namedParameters(), 0.01), rng, TrainingOptions.epochs(10));
        Finding finding = new Finding("exploding_gradients", "Exploding gradients", Severity.WARNING, 1, probedAt, List.of(), List.of(), "", List.of());
        Hypothesis h = switch (change) {
            case "clip" -> new Hypothesis(finding.id(), "clip", Remedies.clipGlobalNorm(1.0, "bounds each step"), ProbeStart.SNAPSHOT);
            case "lr*3" -> new Hypothesis(finding.id(), "lr*3", Remedies.learningRate(0.01, 0.03, "larger"), ProbeStart.SNAPSHOT);
            default -> new Hypothesis(finding.id(), "lr/3", Remedies.learningRate(0.01, 0.0033, "smaller"), ProbeStart.SNAPSHOT);
        };
        ProbeOutcome confirmed = ProbeOutcome.measured(h, 0, 40, new ArmResult(2.3, 1.0, 40, false, 0.01), new ArmResult(2.3, 0.5, 40, false, 0.01),
                EffectSize.defaults());
        trainer.addListener(new TrainingListener() { // the probes report before the repair hears the step, as in a run
            @Override
            public void onBatchEnd(Trainer t, BatchEvent e) {
                if (e.step() == probedAt) repair.probed(finding, List.of(confirmed));
            }
        }).addListener(repair);
        return trainer.fit(new DataLoader(Dataset.regression(x, new int[] {6}, y, new int[] {1}), 10, true, false, 1), null);
    }

    @Test
    void anEarlyConfirmedConfigChangeStopsTheRunToRestartItFromStepZero() {
        RepairPolicy repair = new RepairPolicy(RepairOptions.defaults(), RollingSnapshots.defaults());
        TrainingResult r = run(repair, 15, "clip");
        assertEquals(TrainingStatus.STOPPED, r.status(), r.reason());
        assertEquals(15, r.steps());
        Restart restart = repair.restart().orElseThrow();
        assertEquals(List.of("clip={global_norm: 1.0}"), restart.sets());
        RepairAction a = repair.actions().getFirst();
        assertEquals(List.of(a), repair.actions());
        assertEquals(15, a.step());
        assertEquals(0, a.rolledBackTo());
        assertTrue(a.remedy().startsWith("restarted from step 0 with clip"), a.remedy());

        // the restarted run: the earlier repair first, and no second restart for the same confirmed change
        RepairPolicy again = new RepairPolicy(RepairOptions.defaults(), RollingSnapshots.defaults()).after(repair.actions());
        TrainingResult second = run(again, 15, "clip");
        assertEquals(TrainingStatus.COMPLETED, second.status());
        assertTrue(again.restart().isEmpty());
        assertEquals(List.of(a), again.actions());
    }

    @Test
    void aRestartThatWouldThrowAwayMoreThanATenthOfTheRunIsNotMade() {
        RepairPolicy repair = new RepairPolicy(RepairOptions.defaults(), RollingSnapshots.defaults());
        TrainingResult r = run(repair, 21, "clip"); // 21 of 200 steps
        assertEquals(TrainingStatus.COMPLETED, r.status());
        assertTrue(repair.restart().isEmpty());
        assertTrue(repair.actions().isEmpty(), repair.actions()::toString);
    }

    @Test
    void aChangeTheTrainerCanMakeIsAppliedInPlace() {
        RepairPolicy repair = new RepairPolicy(RepairOptions.defaults(), RollingSnapshots.defaults());
        TrainingResult r = run(repair, 15, "lr/3");
        assertEquals(TrainingStatus.COMPLETED, r.status());
        assertTrue(repair.restart().isEmpty());
        RepairAction a = repair.actions().getFirst();
        assertEquals(1.0 / 3, a.lrScaleAfter(), 1e-12);
        assertTrue(a.rolledBackTo() < 15, a::toString);
    }

    @Test
    void aStepTooSmallIsRaisedWithoutARollback() {
        RepairPolicy repair = new RepairPolicy(RepairOptions.defaults(), RollingSnapshots.defaults());
        TrainingResult r = run(repair, 15, "lr*3");
        assertEquals(TrainingStatus.COMPLETED, r.status());
        assertEquals(200, r.steps(), "no step taken again");
        RepairAction a = repair.actions().getFirst();
        assertEquals(15, a.rolledBackTo());
        assertEquals(3, a.lrScaleAfter(), 1e-12);
    }
}
