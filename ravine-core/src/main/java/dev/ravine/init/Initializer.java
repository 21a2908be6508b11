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
        m.put("kaiming_normal_fan_out", (w, r) -> Init.kaimingNormal(w, r, 0, false, "relu"));
        m.put("kaiming_uniform_fan_out", (w, r) -> Init.kaimingUniform(w, r, 0, false, "relu"));
        m.put("lecun_normal", Init::lecunNormal);
        m.put("lecun_uniform", Init::lecunUniform);
        m.put("orthogonal", (w, r) -> Init.orthogonal(w, r, 1));
        m.put("orthogonal_relu", (w, r) -> Init.orthogonal(w, r, Gain.of("relu", 0)));
        m.put("orthogonal_tanh", (w, r) -> Init.orthogonal(w, r, Gain.of("tanh", 0)));
        m.put("identity", (w, r) -> Init.identity(w));
        m.put("eye", (w, r) -> Init.identity(w));
        m.put("normal", normal(0.01));
        m.put("uniform", uniform(0.05));
        m.put("zeros", constant(0));
        m.put("ones", constant(1));
        return m;
    }

    /** N(0, std^2). The name "normal" is std 0.01. */
    static Initializer normal(double std) {
        return (w, r) -> Init.normal(w, r, 0, std);
    }

    /** U(-scale, scale). The name "uniform" is scale 0.05. */
    static Initializer uniform(double scale) {
        return (w, r) -> Init.uniform(w, r, -scale, scale);
    }

    static Initializer constant(double value) {
        return (w, r) -> Init.constant(w, value);
    }

    static Initializer xavierNormal(double gain) {
        return (w, r) -> Init.xavierNormal(w, r, gain);
    }

    static Initializer xavierUniform(double gain) {
        return (w, r) -> Init.xavierUniform(w, r, gain);
    }

    /**
     * Kaiming/He with torch's arguments: {@code fanIn} for mode fan_in (else fan_out), the nonlinearity's gain
     * ({@link Gain#of}) and leaky_relu's negative slope.
     */
    static Initializer kaimingNormal(boolean fanIn, String nonlinearity, double negativeSlope) {
        Gain.of(nonlinearity, negativeSlope);
        return (w, r) -> Init.kaimingNormal(w, r, negativeSlope, fanIn, nonlinearity);
    }

    static Initializer kaimingUniform(boolean fanIn, String nonlinearity, double negativeSlope) {
        Gain.of(nonlinearity, negativeSlope);
        return (w, r) -> Init.kaimingUniform(w, r, negativeSlope, fanIn, nonlinearity);
    }

    static Initializer orthogonal(double gain) {
        return (w, r) -> Init.orthogonal(w, r, gain);
    }

    static Initializer byName(String name) {
        Initializer i = named().get(name);
        if (i == null) {
            throw new IllegalArgumentException("unknown initializer '" + name + "'; valid: " + String.join(", ", named().keySet()));
        }
        return i;
    }
}
