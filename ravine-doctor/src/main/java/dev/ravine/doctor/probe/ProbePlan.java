package dev.ravine.doctor.probe;

import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Remedies;
import dev.ravine.doctor.finding.Remedy;
import dev.ravine.doctor.finding.RunFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which experiments test a finding: the one change each that would remove the cause it names, taken from the
 * {@link Remedies} catalog. A step that is too large (lr_too_high, adaptive_spike, exploding gradients) is tested with
 * the learning rate /3 and /10 and with clipping from the snapshot before the trouble, ReLUs killed by a large step
 * with the learning rate /3, a leaky ReLU and the initialization; a step
 * too small with the learning rate x3; the data's scale and order, an activation, the initialization and the
 * network's size from the run's start, since the trained weights were made for the unchanged run. Findings that only
 * describe the loss (loss_stuck_at_chance), that need a held-out set to show (overfitting) or that the data checks
 * settle by counting (data_nan, data_imbalance, label_noise) get no probe.
 */
public final class ProbePlan {
    private ProbePlan() {}

    public static List<Hypothesis> of(Finding finding, RunFacts facts) {
        List<Hypothesis> out = new ArrayList<>();
        String id = finding.id();
        double lr = facts.learningRate();
        switch (id) {
            case "lr_too_high", "adaptive_spike" -> {
                out.add(step(id, "lr/3", Remedies.learningRate(facts, lr / 3, "a smaller step")));
                out.add(step(id, "lr/10", Remedies.learningRate(facts, lr / 10, "a much smaller step")));
                out.add(step(id, "clip", Remedies.clipGlobalNorm(1.0, "clipping bounds each step")));
            }
            case "exploding_gradients" -> {
                out.add(step(id, "lr/3", Remedies.learningRate(facts, lr / 3, "a smaller step")));
                out.add(step(id, "lr/10", Remedies.learningRate(facts, lr / 10, "a much smaller step")));
                out.add(step(id, "clip", Remedies.clipGlobalNorm(1.0, "clipping bounds each step")));
                fresh(id, "init", Remedies.initializationFitting(facts, "variance-preserving")).ifPresent(out::add);
            }
            case "lr_too_low" -> out.add(step(id, "lr*3", Remedies.learningRate(facts, lr * 3, "a larger step")));
            case "dead_relu" -> {
                out.add(step(id, "lr/3", Remedies.learningRate(facts, lr / 3, "a smaller step")));
                activationSwap(id, facts).ifPresent(out::add);
                fresh(id, "init", Remedies.initializationFitting(facts, "variance-preserving")).ifPresent(out::add);
            }
            case "vanishing_gradients" -> {
                activationSwap(id, facts).ifPresent(out::add);
                gatedCell(id, facts).ifPresent(out::add);
                fresh(id, "init", Remedies.initializationFitting(facts, "variance-preserving")).ifPresent(out::add);
            }
            case "data_scale" -> fresh(id, "standardize", Remedies.standardize(facts, "standardized inputs")).ifPresent(out::add);
            case "data_unshuffled" -> out.add(new Hypothesis(id, "shuffle", Remedies.shuffle(), ProbeStart.RUN_START));
            case "model_bias" -> {
                fresh(id, "wider", Remedies.wider(facts, 2, "wider")).ifPresent(out::add);
                fresh(id, "deeper", Remedies.deeper(facts)).ifPresent(out::add);
            }
            default -> {
                // no experiment tells this finding's cause apart (see the class comment)
            }
        }
        return out;
    }

    private static Hypothesis step(String id, String change, Remedy remedy) {
        return new Hypothesis(id, change, remedy, ProbeStart.SNAPSHOT);
    }

    private static Optional<Hypothesis> fresh(String id, String change, Optional<Remedy> remedy) {
        return remedy.map(r -> new Hypothesis(id, change, r, ProbeStart.RUN_START));
    }

    /** Every saturating activation made a ReLU, or the first ReLU a leaky ReLU. */
    private static Optional<Hypothesis> activationSwap(String id, RunFacts facts) {
        Optional<Hypothesis> all = fresh(id, "relu", Remedies.saturatingToRelu(facts, "ReLU"));
        if (all.isPresent()) return all;
        List<String> kinds = facts.layerKinds();
        for (int i = 0; i < kinds.size(); i++) {
            String k = kinds.get(i);
            if (k.equals("sigmoid") || k.equals("tanh")) return fresh(id, "relu", Optional.of(Remedies.activation(i, k, "relu", "ReLU")));
            if (k.equals("relu") && id.equals("dead_relu")) {
                return fresh(id, "leaky_relu", Optional.of(Remedies.activation(i, k, "leaky_relu", "leaky")));
            }
        }
        return Optional.empty();
    }

    private static Optional<Hypothesis> gatedCell(String id, RunFacts facts) {
        List<String> kinds = facts.layerKinds();
        for (int i = 0; i < kinds.size(); i++) {
            if (kinds.get(i).equals("rnn")) return fresh(id, "gru", Remedies.gatedCell(facts, i));
        }
        return Optional.empty();
    }
}
