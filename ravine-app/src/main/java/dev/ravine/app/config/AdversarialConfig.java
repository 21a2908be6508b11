package dev.ravine.app.config;

import dev.ravine.train.AdversarialTraining;
import java.util.List;

/**
 * {@code adversarial: {method: fgsm | pgd, epsilon: 0.1, mix: 0.5, steps: 7, step_size: 0.02, random_start: true}}:
 * adversarial training. In each training batch a fraction {@code mix} of the samples is replaced by adversarial
 * examples in the L-infinity ball of radius {@code epsilon} (in the units of the normalized inputs), clipped to the
 * range of the normalized training data; pgd takes {@code steps} steps of {@code step_size} (default 2.5 epsilon /
 * steps, Madry et al.'s choice) from a random start. See {@link AdversarialTraining}.
 */
public record AdversarialConfig(String method, double epsilon, double mix, int steps, double stepSize, boolean randomStart) {
    static final List<String> KEYS = List.of("method", "epsilon", "mix", "steps", "step_size", "random_start");
    static final List<String> METHODS = List.of("fgsm", "pgd");

    static AdversarialConfig read(Section top) {
        Section s = top.section("adversarial");
        if (s == null) return null;
        s.allowOnly(KEYS);
        if (!s.has("method")) s.missing("method", "the attack: fgsm or pgd");
        String method = s.choice("method", "fgsm", METHODS, "adversarial method");
        if (!s.has("epsilon")) s.missing("epsilon", "the largest change of an input value, e.g. 'epsilon: 0.1'");
        double epsilon = s.number("epsilon", 0.1, v -> v > 0, "a number > 0");
        double mix = s.number("mix", 0.5, v -> v > 0 && v <= 1, "a fraction in (0, 1]");
        boolean pgd = method.equals("pgd");
        for (String key : List.of("steps", "step_size", "random_start")) {
            if (!pgd && s.has(key)) s.problem(key, "is an option of method pgd only; remove it or set method: pgd");
        }
        int steps = s.integer("steps", 7, 1);
        double stepSize = s.number("step_size", 2.5 * epsilon / steps, v -> v > 0, "a number > 0");
        boolean randomStart = s.bool("random_start", true);
        return new AdversarialConfig(method, epsilon, mix, steps, stepSize, randomStart);
    }

    String yaml() {
        String common = "adversarial: {method: " + method + ", epsilon: " + ConfigWriter.number(epsilon)
                + ", mix: " + ConfigWriter.number(mix);
        if (!method.equals("pgd")) return common + "}\n";
        return common + ", steps: " + steps + ", step_size: " + ConfigWriter.number(stepSize) + ", random_start: " + randomStart + "}\n";
    }
}
