package dev.ravine.schedule;

import dev.ravine.train.EpochEvent;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingListener;
import java.util.List;

/**
 * Feeds a {@link ReduceOnPlateau} the monitored metric at every epoch end, as torch's {@code scheduler.step(val_loss)}
 * after validation: monitor val_loss (the training loss when there is no validation set), train_loss or
 * val_accuracy. Epoch ends come before the epoch's checkpoint is written, so the checkpoint holds the updated state.
 */
public record PlateauListener(ReduceOnPlateau schedule, String monitor) implements TrainingListener {
    public static final List<String> MONITORS = List.of("val_loss", "train_loss", "val_accuracy");

    public PlateauListener {
        if (!MONITORS.contains(monitor)) throw new IllegalArgumentException("unknown monitor '" + monitor + "'; valid: " + String.join(", ", MONITORS));
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochEvent event) {
        double metric = switch (monitor) {
            case "train_loss" -> event.trainLoss();
            case "val_accuracy" -> event.valAccuracy();
            default -> Double.isNaN(event.valLoss()) ? event.trainLoss() : event.valLoss();
        };
        if (!Double.isNaN(metric)) schedule.observe(metric);
    }
}
