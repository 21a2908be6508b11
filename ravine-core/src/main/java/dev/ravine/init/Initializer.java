package dev.ravine.init;

import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/** A named weight initializer, selectable per layer in a config ({@code init: he_normal}). */
@FunctionalInterface
public interface Initializer {
    void initialize(Tensor weight, Rng rng);

    /** The names a config may use, in the order they are listed in error messages. */
    static Map<String, Initializer> named() {
        Map<String, Initializer> m = new LinkedHashMap<>();
        m.put("default", Init::pytorchDefaultWeight);
        m.put("xavier_uniform", (w, r) -> Init.xavierUniform(w, r, 1));
        m.put("xavier_normal", (w, r) -> Init.xavierNormal(w, r, 1));
        m.put("glorot_uniform", (w, r) -> Init.xavierUniform(w, r, 1));
        m.put("glorot_normal", (w, r) -> Init.xavierNormal(w, r, 1));
        m.put("he_uniform", (w, r) -> Init.kaimingUniform(w, r, 0, true, "relu"));
        m.put("he_normal", (w, r) -> Init.kaimingNormal(w, r, 0, true, "relu"));
        m.put("kaiming_uniform", (w, r) -> Init.kaimingUniform(w, r, 0, true, "relu"));
        m.put("kaiming_normal", (w, r) -> Init.kaimingNormal(w, r, 0, true, "relu"));
        m.put("lecun_normal", (w, r) -> Init.kaimingNormal(w, r, 0, true, "linear"));
        m.put("lecun_uniform", (w, r) -> Init.kaimingUniform(w, r, 0, true, "linear"));
        m.put("zeros", (w, r) -> Init.constant(w, 0));
        return m;
    }

    static Initializer byName(String name) {
        Initializer i = named().get(name);
        if (i == null) {
            throw new IllegalArgumentException("unknown initializer '" + name + "'; valid: " + String.join(", ", named().keySet()));
        }
        return i;
    }
}
