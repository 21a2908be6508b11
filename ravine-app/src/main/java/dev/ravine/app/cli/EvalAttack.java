package dev.ravine.app.cli;

import dev.ravine.app.config.ConfigException;
import dev.ravine.data.Dataset;
import dev.ravine.train.AdversarialAttack;
import dev.ravine.train.Fgsm;
import dev.ravine.train.Pgd;
import java.util.List;

/**
 * {@code ravine eval --attack fgsm|pgd --epsilon E [--steps N] [--step-size S]}: evaluate on adversarial versions of
 * the data (robust accuracy), each value kept in the range of the evaluated (normalized) data. PGD starts at a random
 * point of the ball and takes N steps (10) of S (2.5 E / N).
 */
record EvalAttack(String method, double epsilon, int steps, double stepSize) {
    static final List<String> METHODS = List.of("fgsm", "pgd");

    /** The attack the options ask for, or null without --attack; a bad combination is a ConfigException. */
    static EvalAttack parse(String method, Double epsilon, Integer steps, Double stepSize) {
        if (method == null) {
            if (epsilon != null || steps != null || stepSize != null) {
                throw new ConfigException("--epsilon, --steps and --step-size go with --attack fgsm|pgd");
            }
            return null;
        }
        if (!METHODS.contains(method)) throw new ConfigException("--attack " + method + " is not an attack; valid: fgsm, pgd");
        if (epsilon == null || !(epsilon > 0)) throw new ConfigException("--attack " + method + " needs --epsilon, a number > 0");
        if (method.equals("fgsm") && (steps != null || stepSize != null)) {
            throw new ConfigException("--steps and --step-size are options of --attack pgd only");
        }
        int n = steps == null ? 10 : steps;
        if (n < 1) throw new ConfigException("--steps must be at least 1, got " + n);
        double size = stepSize == null ? 2.5 * epsilon / n : stepSize;
        if (!(size > 0)) throw new ConfigException("--step-size must be > 0, got " + size);
        return new EvalAttack(method, epsilon, n, size);
    }

    AdversarialAttack create(Dataset data) {
        double[] range = AdversarialAttack.rangeOf(data.features());
        return method.equals("fgsm") ? new Fgsm(epsilon, range[0], range[1]) : new Pgd(epsilon, stepSize, steps, true, range[0], range[1]);
    }

    String describe() {
        return method.toUpperCase(java.util.Locale.ROOT) + " epsilon " + epsilon
                + (method.equals("pgd") ? " (" + steps + " steps of " + (float) stepSize + ", random start)" : "");
    }
}
