package dev.ravine.app.run;

import dev.ravine.app.store.RunStore;
import dev.ravine.doctor.repair.RepairAction;
import dev.ravine.train.BatchEvent;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingListener;
import java.util.function.Consumer;

/**
 * Records each repair in run.db as it is applied, with the batch loss that triggered it (for the report's before/after
 * table): after a rollback the replayed steps replace the bad ones in run.db, so that loss must be taken as it happens.
 * Added to the trainer before the repair policy, it has always heard the step the repair acts on.
 */
final class RepairRecorder implements TrainingListener, Consumer<RepairAction> {
    private final RunStore store;
    private double lastLoss = Double.NaN;

    RepairRecorder(RunStore store) {
        this.store = store;
    }

    @Override
    public void onBatchEnd(Trainer trainer, BatchEvent event) {
        lastLoss = event.loss();
    }

    @Override
    public void onNonFiniteLoss(Trainer trainer, long step, int epoch, double loss) {
        lastLoss = loss;
    }

    @Override
    public void accept(RepairAction action) {
        store.putRepair(action, lastLoss);
    }
}
