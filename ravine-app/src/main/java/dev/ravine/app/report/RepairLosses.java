package dev.ravine.app.report;

import dev.ravine.doctor.repair.RepairAction;
import dev.ravine.train.BatchEvent;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The batch loss at each repair, for the report's before/after table: after a rollback the replayed steps replace
 * the bad ones in run.db, so the loss that triggered a repair must be taken as it happens. Added to the trainer before
 * the repair policy, it has always heard the step the repair acts on.
 */
public final class RepairLosses implements TrainingListener, Consumer<RepairAction> {
    private double lastLoss = Double.NaN;
    private final List<Double> atRepairs = new ArrayList<>();

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
        atRepairs.add(lastLoss);
    }

    public boolean isEmpty() {
        return atRepairs.isEmpty();
    }

    /** The value of run.db's meta key {@link ReportData#REPAIR_LOSS_META}: one loss per repair, comma-separated. */
    public String metaValue() {
        return String.join(",", atRepairs.stream().map(v -> String.format(Locale.ROOT, "%s", v)).toList());
    }
}
