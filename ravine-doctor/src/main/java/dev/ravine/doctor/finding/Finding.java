package dev.ravine.doctor.finding;

import java.util.List;

/**
 * What a detector concluded: a stable {@code id} (a contract for configs, tests and scripts: exploding_gradients,
 * vanishing_gradients, dead_relu, lr_too_low, loss_stuck_at_chance, ...), a title, the steps and layers involved,
 * the evidence (the numbers that triggered it, as sentences), the cause in plain words, and remedies ranked best
 * first.
 */
public record Finding(String id, String title, Severity severity, long firstStep, long lastStep, List<String> layers,
                      List<String> evidence, String cause, List<Remedy> remedies) {
    public Finding {
        layers = List.copyOf(layers);
        evidence = List.copyOf(evidence);
        remedies = List.copyOf(remedies);
    }
}
