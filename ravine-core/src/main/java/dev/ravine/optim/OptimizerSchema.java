package dev.ravine.optim;

import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One named optimizer: its name, a one-line description, its options (torch.optim's names, defaults and accepted
 * values, {@link OptimizerOption}), the rules between options, and how its options make it. The Java API
 * ({@link Optimizers}), the config reader and the docs table all read this one definition.
 *
 * <p>A named optimizer is a value: a {@link ChainFactory} turns validated options and a learning-rate
 * {@link Schedule} into a {@link GradientTransform}, bound to parameters only when an {@link Optimizer} is made
 * ({@link OptimizerAssembly}). L-BFGS evaluates the loss itself within a step, so it has a {@link ClosureFactory}
 * instead.
 */
public record OptimizerSchema(String name, String description, List<OptimizerOption> options, List<Rule> rules, ChainFactory chain,
                              ClosureFactory closure) {
    public OptimizerSchema {
        options = List.copyOf(options);
        rules = List.copyOf(rules);
        if ((chain == null) == (closure == null)) throw new IllegalArgumentException(name + ": give a chain factory or a closure factory");
    }

    /** Makes the chain of a gradient-transform optimizer; {@code lr} is its learning rate at each step. */
    @FunctionalInterface
    public interface ChainFactory {
        GradientTransform transform(OptimizerOptions options, Schedule lr);
    }

    /** Makes a method that evaluates the loss several times per step (L-BFGS) over the given parameters. */
    @FunctionalInterface
    public interface ClosureFactory {
        ClosureMethod method(OptimizerOptions options, List<Tensor> params);
    }

    /** A rule between options (etas: eta_minus < 1 < eta_plus); {@code option} is the one a violation is reported at. */
    public record Rule(String option, Predicate<OptimizerOptions> holds, Function<OptimizerOptions, String> problem) {}

    /** Whether this optimizer's steps evaluate the loss themselves (L-BFGS). */
    public boolean closureMethod() {
        return closure != null;
    }

    public List<String> optionNames() {
        return options.stream().map(OptimizerOption::name).toList();
    }

    public OptimizerOption option(String key) {
        for (OptimizerOption o : options) if (o.name().equals(key)) return o;
        return null;
    }

    /** The defaults, in the options' order. */
    public Map<String, Object> defaults() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (OptimizerOption o : options) out.put(o.name(), o.fallback());
        return out;
    }

    /**
     * {@code given} merged over the defaults and checked: every value against its option, then the rules. Unknown
     * options fail with IllegalArgumentException listing the valid ones; a bad value with the first
     * {@link OptionException}.
     */
    public OptimizerOptions validate(Map<String, ?> given) {
        List<OptionException> problems = problems(given);
        if (!problems.isEmpty()) throw problems.getFirst();
        return new OptimizerOptions(name, canonical(given));
    }

    /** Every problem of {@code given} (an unknown option included, as an OptionException), in the options' order. */
    public List<OptionException> problems(Map<String, ?> given) {
        List<OptionException> out = new ArrayList<>();
        for (String key : given.keySet()) {
            if (option(key) == null) {
                throw new IllegalArgumentException("unknown option '" + key + "' for optimizer " + name + "; valid: " + String.join(", ", optionNames()));
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (OptimizerOption o : options) {
            Object v = given.containsKey(o.name()) ? given.get(o.name()) : o.fallback();
            try {
                values.put(o.name(), o.check(name, v));
            } catch (OptionException e) {
                out.add(e);
            }
        }
        if (!out.isEmpty()) return out;
        OptimizerOptions complete = new OptimizerOptions(name, values);
        for (Rule r : rules) {
            if (!r.holds().test(complete)) out.add(new OptionException(name, r.option(), r.problem().apply(complete)));
        }
        return out;
    }

    private Map<String, Object> canonical(Map<String, ?> given) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (OptimizerOption o : options) values.put(o.name(), o.check(name, given.containsKey(o.name()) ? given.get(o.name()) : o.fallback()));
        return values;
    }

    /**
     * The option a schedule's cycle_momentum sets at each step, as torch's schedulers do: "betas" (its beta1) or
     * "momentum"; null when there is none to cycle (torch raises then), or when the momentum follows its own ramp
     * (momentum_ramp's initial_momentum).
     */
    public String cycledMomentum() {
        if (option("betas") != null) return "betas";
        return option("momentum") != null && option("initial_momentum") == null ? "momentum" : null;
    }

    /** The chain for validated options with {@code lr} as its learning rate (and momentum, when the schedule cycles it). */
    public GradientTransform transform(OptimizerOptions o, Schedule lr) {
        if (chain == null) throw new IllegalStateException(name + " evaluates the loss several times per step: it has no gradient-transform chain");
        if (lr.momentum() != null && cycledMomentum() == null) throw new IllegalArgumentException("cycle_momentum: " + noMomentumToCycle());
        return chain.transform(o, lr);
    }

    /** Why a schedule with cycle_momentum cannot drive this optimizer, and what to do. */
    public String noMomentumToCycle() {
        return "optimizer " + name + " has no momentum or betas for the schedule to cycle (torch raises 'optimizer must support "
                + "momentum'); use sgd, rmsprop, adam, adamw, adamax, nadam or radam, or set cycle_momentum: false";
    }

    /** The closure method for validated options over {@code params}. */
    public ClosureMethod method(OptimizerOptions o, List<Tensor> params) {
        if (closure == null) throw new IllegalStateException(name + " is a gradient-transform chain, not a closure method");
        return closure.method(o, params);
    }
}
