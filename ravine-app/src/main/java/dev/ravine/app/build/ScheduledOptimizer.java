package dev.ravine.app.build;

import dev.ravine.optim.Optimizer;
import dev.ravine.train.PlateauListener;

/** A run's optimizer with its schedule on the learning rate, and the listener a reduce_on_plateau schedule needs (or null). */
public record ScheduledOptimizer(Optimizer optimizer, PlateauListener listener) {}
