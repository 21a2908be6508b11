package dev.ravine.doctor.repair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.data.DataLoader;
import dev.ravine.data.Dataset;
import dev.ravine.doctor.Doctor;
import dev.ravine.doctor.finding.RunFacts;
import dev.ravine.doctor.instrument.InstrumentOptions;
import dev.ravine.doctor.snapshot.RollingSnapshots;
import dev.ravine.nn.Linear;
import dev.ravine.nn.Module;
import dev.ravine.nn.Sequential;
import dev.ravine.nn.loss.MseLoss;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.Rng;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingOptions;
import dev.ravine.train.TrainingResult;
import dev.ravine.train.TrainingStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class RepairPolicyTest {
    private static Dataset regression(Rng rng) {
        float[] x = new float[200 * 6], y = new float[200];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        for (int i = 0; i < y.length; i++) y[i] = (float) rng.nextGaussian();
        return Dataset.regression(x, new int[] {6}, y, new int[] {1});
    }

    private static TrainingResult run(double lr, RepairPolicy repair) {
        Rng rng = new Rng(1);
        Dataset data = regression(rng);
        Module model = new Sequential(new Linear(6, 1, true, rng));
        Trainer trainer = new Trainer(model, new MseLoss(), Optimizers.sgd(model.namedParameters(), lr), rng, TrainingOptions.epochs(10));
        Doctor doctor = new Doctor(InstrumentOptions.defaults(), Doctor.standardDetectors(), new RunFacts(lr, "sgd", 0, List.of("linear")), 100);
        trainer.addListener(doctor);
        if (repair != null) {
            doctor.addFindingListener(repair);
            trainer.addListener(repair);
        }
        return trainer.fit(new DataLoader(data, 10, true, false, 1), null);
    }

    @Test
    void aRunThatWouldDivergeIsRepairedAndCompletes() {
        // lr 10 is far beyond 2 / sharpness for this least-squares problem: without repair the loss overflows.
        assertEquals(TrainingStatus.DIVERGED, run(10, null).status());

        RepairPolicy repair = new RepairPolicy(new RepairOptions(5, 0.1), new RollingSnapshots(5, 3));
        TrainingResult r = run(10, repair);
        assertEquals(TrainingStatus.COMPLETED, r.status(), r.reason() + " " + repair.actions());
        assertTrue(Double.isFinite(r.trainLoss()) && r.trainLoss() < 3, "final training loss " + r.trainLoss() + " " + repair.actions() + " " + r.history());
        List<RepairAction> actions = repair.actions();
        assertTrue(!actions.isEmpty() && actions.size() <= 5, actions.toString());
        RepairAction first = actions.getFirst();
        assertTrue(first.rolledBackTo() < first.step(), "went back before the trouble: " + first);
        assertEquals(first.lrScaleBefore() * 0.1, first.lrScaleAfter(), 1e-12);
        // each repair lowered the rate further
        for (int i = 1; i < actions.size(); i++) assertTrue(actions.get(i).lrScaleAfter() < actions.get(i - 1).lrScaleAfter());
    }

    @Test
    void repairsAreBounded() {
        // lr 1e6 diverges at every scale a single factor of 0.5 reaches within two tries: the run ends as diverged.
        RepairPolicy repair = new RepairPolicy(new RepairOptions(2, 0.5), new RollingSnapshots(5, 3));
        TrainingResult r = run(1e6, repair);
        assertEquals(TrainingStatus.DIVERGED, r.status());
        assertEquals(2, repair.actions().size());
    }
}
