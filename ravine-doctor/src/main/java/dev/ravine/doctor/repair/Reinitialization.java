package dev.ravine.doctor.repair;

import dev.ravine.init.Initializer;
import dev.ravine.nn.Activation;
import dev.ravine.nn.Module;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which variance-preserving initialization (note 003) each weight matrix and kernel of a model gets when a repair
 * re-draws them: xavier_normal when the activation that follows its layer is tanh or sigmoid (Glorot's derivation
 * assumes a unit slope at 0), he_normal otherwise: for the ReLU family (He's derivation), and, as before the choice was
 * made per layer, for layers no activation follows (the output layer, recurrent cells). Vectors (biases,
 * normalization scales) keep their values. The draw itself is the trainer's ({@code Trainer#reinitialize}).
 *
 * @param byParameter the initializer of each re-drawn parameter, by name
 * @param names       the initializer name of each re-drawn parameter, by name (for the repair's description)
 */
record Reinitialization(Map<String, Initializer> byParameter, Map<String, String> names) {
    static Reinitialization of(Module model) {
        List<Map.Entry<String, Module>> modules = new ArrayList<>(model.namedModules().entrySet()); // pre-order
        Map<String, Initializer> byParameter = new LinkedHashMap<>();
        Map<String, String> names = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> p : model.namedParameters().entrySet()) {
            if (p.getValue().dim() < 2) continue;
            int dot = p.getKey().lastIndexOf('.');
            String owner = dot < 0 ? "" : p.getKey().substring(0, dot);
            String name = nameFor(following(modules, owner));
            byParameter.put(p.getKey(), Initializer.byName(name));
            names.put(p.getKey(), name);
        }
        return new Reinitialization(byParameter, names);
    }

    /**
     * The first activation after module {@code owner} and its descendants, in network order, before the next module
     * with weights of its own (normalization and dropout in between are skipped); null when there is none.
     */
    private static Activation.Kind following(List<Map.Entry<String, Module>> modules, String owner) {
        int at = 0;
        while (!modules.get(at).getKey().equals(owner)) at++;
        String inside = owner.isEmpty() ? "" : owner + ".";
        for (int j = at + 1; j < modules.size(); j++) {
            String name = modules.get(j).getKey();
            if (owner.isEmpty() || name.startsWith(inside)) continue;
            Module m = modules.get(j).getValue();
            if (m instanceof Activation a) return a.activation();
            if (hasOwnWeights(m)) return null;
        }
        return null;
    }

    private static boolean hasOwnWeights(Module m) {
        for (Map.Entry<String, Tensor> p : m.namedParameters().entrySet()) if (!p.getKey().contains(".") && p.getValue().dim() >= 2) return true;
        return false;
    }

    private static String nameFor(Activation.Kind next) {
        return next == Activation.Kind.TANH || next == Activation.Kind.SIGMOID ? "xavier_normal" : "he_normal";
    }

    /** "he_normal", or "he_normal and xavier_normal" when both are drawn. */
    String describe() {
        return String.join(" and ", new TreeSet<>(names.values()));
    }
}
