package dev.ravine.optim;

import static dev.ravine.optim.OptimizerOption.bool;
import static dev.ravine.optim.OptimizerOption.choice;
import static dev.ravine.optim.OptimizerOption.integer;
import static dev.ravine.optim.OptimizerOption.number;
import static dev.ravine.optim.OptimizerOption.pair;

import dev.ravine.optim.OptimizerSchema.Rule;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The named optimizers, with torch.optim's option names, defaults and update rules (torch 1.13's single-tensor code
 * paths): sgd, adam, adamw, adagrad, adadelta, rmsprop, adamax, nadam, radam, rprop, lbfgs, plus two from Hinton's
 * lecture 6 that torch.optim lacks, adaptive_gains and momentum_ramp. {@link #SCHEMAS} is the one definition of each
 * (options, defaults, accepted values, how its options make its chain); tools/gen_optimizer_trajectories.py and
 * OptimizerTrajectoryTest check them against torch.
 *
 * <p>A named optimizer is a value: {@link #transform} gives its {@link GradientTransform} chain for options and a
 * learning-rate {@link Schedule}; {@link OptimizerAssembly} binds it (with clipping, parameter groups, a schedule and
 * constraints) to parameters. The methods that take parameters ({@link #byName}, {@link #adam(Map, double)}, ...) are
 * that assembly for the plain case.
 */
public final class Optimizers {
    private Optimizers() {}

    // ------------------------------------------------------------------ option definitions shared by several optimizers

    private static OptimizerOption lr(double fallback) {
        return number("lr", fallback, v -> v >= 0, "a learning rate >= 0");
    }

    private static OptimizerOption nonNegative(String name, double fallback) {
        return number(name, fallback, v -> v >= 0, "a number >= 0");
    }

    private static OptimizerOption weightDecay(double fallback) {
        return nonNegative("weight_decay", fallback);
    }

    private static OptimizerOption betas() {
        return pair("betas", 0.9, 0.999, v -> v >= 0 && v < 1, "a number in [0, 1)");
    }

    private static OptimizerOption eps(double fallback) {
        return nonNegative("eps", fallback);
    }

    private static OptimizerOption fraction(String name, double fallback) {
        return number(name, fallback, v -> v >= 0 && v < 1, "a number in [0, 1)");
    }

    private static OptimizerSchema chain(String name, String description, List<OptimizerOption> options, List<Rule> rules,
                                         OptimizerSchema.ChainFactory factory) {
        return new OptimizerSchema(name, description, options, rules, factory, null);
    }

    // ------------------------------------------------------------------ the registry

    /** Every named optimizer, in the order the docs list them. */
    public static final List<OptimizerSchema> SCHEMAS = List.of(
            // torch 1.13's SGD has no default lr (lr=required); 0.001 is Ravine's, the same as Adam's, documented in examples/README.md
            chain("sgd", "stochastic gradient descent, optionally with (Nesterov) momentum",
                    List.of(lr(0.001), nonNegative("momentum", 0.0), number("dampening", 0.0, v -> true, "a number"), bool("nesterov", false),
                            weightDecay(0.0)),
                    List.of(new Rule("nesterov", o -> !o.bool("nesterov") || o.number("momentum") > 0 && o.number("dampening") == 0,
                            o -> "Nesterov momentum needs momentum > 0 and dampening 0 (as torch.optim.SGD), got momentum " + o.number("momentum")
                                    + " and dampening " + o.number("dampening"))),
                    (o, lr) -> links(decay(o), o.number("momentum") != 0 || lr.momentum() != null
                                    ? new TraceMomentum(o.number("momentum"), o.number("dampening"), o.bool("nesterov"), lr.momentum()) : null,
                            new ScaleByLearningRate(lr))),
            chain("adam", "Adam (Kingma and Ba, 2015), optionally AMSGrad",
                    List.of(lr(1e-3), betas(), eps(1e-8), weightDecay(0.0), bool("amsgrad", false)), List.of(),
                    (o, lr) -> links(decay(o), adamScaling(o, lr), new ScaleByLearningRate(lr))),
            chain("adamw", "Adam with decoupled weight decay (Loshchilov and Hutter, 2019)",
                    List.of(lr(1e-3), betas(), eps(1e-8), weightDecay(0.01), bool("amsgrad", false)), List.of(),
                    (o, lr) -> links(adamScaling(o, lr), decay(o), new ScaleByLearningRate(lr))),
            chain("adagrad", "Adagrad (Duchi et al., 2011)",
                    List.of(lr(0.01), nonNegative("lr_decay", 0.0), weightDecay(0.0), nonNegative("initial_accumulator_value", 0.0), eps(1e-10)), List.of(),
                    (o, lr) -> links(decay(o), new ScaleByAdagrad(o.number("lr_decay"), o.number("initial_accumulator_value"), o.number("eps")),
                            new ScaleByLearningRate(lr))),
            chain("adadelta", "Adadelta (Zeiler, 2012)",
                    List.of(lr(1.0), number("rho", 0.9, v -> v >= 0 && v <= 1, "a number in [0, 1]"), eps(1e-6), weightDecay(0.0)), List.of(),
                    (o, lr) -> links(decay(o), new ScaleByAdadelta(o.number("rho"), o.number("eps")), new ScaleByLearningRate(lr))),
            chain("rmsprop", "RMSprop (Hinton, lecture 6e), optionally centered and with momentum",
                    List.of(lr(0.01), nonNegative("alpha", 0.99), eps(1e-8), weightDecay(0.0), nonNegative("momentum", 0.0), bool("centered", false)),
                    List.of(),
                    (o, lr) -> scaledWithMomentum(o, new ScaleByRms(o.number("alpha"), o.number("eps"), o.bool("centered")), lr)),
            chain("adamax", "AdaMax, Adam with the infinity norm (Kingma and Ba, 2015)",
                    List.of(lr(2e-3), betas(), eps(1e-8), weightDecay(0.0)), List.of(),
                    (o, lr) -> links(decay(o), new ScaleByAdamax(o.pair("betas")[0], o.pair("betas")[1], o.number("eps"), lr.momentum()), new ScaleByLearningRate(lr))),
            chain("nadam", "NAdam, Adam with Nesterov momentum (Dozat, 2016)",
                    List.of(lr(2e-3), betas(), eps(1e-8), weightDecay(0.0), nonNegative("momentum_decay", 4e-3)), List.of(),
                    (o, lr) -> links(decay(o), new ScaleByNadam(o.pair("betas")[0], o.pair("betas")[1], o.number("eps"), o.number("momentum_decay"), lr.momentum()),
                            new ScaleByLearningRate(lr))),
            chain("radam", "RAdam, rectified Adam (Liu et al., 2020)",
                    List.of(lr(1e-3), betas(), eps(1e-8), weightDecay(0.0)), List.of(),
                    (o, lr) -> links(decay(o), new ScaleByRadam(o.pair("betas")[0], o.pair("betas")[1], o.number("eps"), lr.momentum()), new ScaleByLearningRate(lr))),
            chain("rprop", "resilient backpropagation (Riedmiller and Braun, 1993); full-batch only",
                    List.of(number("lr", 0.01, v -> v > 0, "a step size > 0"), pair("etas", 0.5, 1.2, v -> v > 0, "a number > 0"),
                            pair("step_sizes", 1e-6, 50.0, v -> v >= 0, "a number >= 0")),
                    List.of(new Rule("etas", o -> o.pair("etas")[0] < 1 && o.pair("etas")[1] > 1,
                                    o -> "must satisfy 0 < eta_minus < 1 < eta_plus, got (" + o.pair("etas")[0] + ", " + o.pair("etas")[1] + ")"),
                            new Rule("step_sizes", o -> o.pair("step_sizes")[1] >= o.pair("step_sizes")[0],
                                    o -> "must satisfy 0 <= min <= max, got (" + o.pair("step_sizes")[0] + ", " + o.pair("step_sizes")[1] + ")")),
                    Optimizers::rpropChain),
            chain("adaptive_gains", "SGD (momentum optional) with per-weight adaptive gains (Hinton, lecture 6d)",
                    List.of(lr(0.01), nonNegative("momentum", 0.0), weightDecay(0.0), nonNegative("gain_increment", 0.05),
                            number("gain_decay", 0.95, v -> v > 0 && v <= 1, "a number in (0, 1]"), number("min_gain", 0.1, v -> v > 0, "a number > 0"),
                            number("max_gain", 10.0, v -> v > 0, "a number > 0")),
                    List.of(new Rule("max_gain", o -> o.number("max_gain") >= o.number("min_gain"),
                            o -> "must be >= min_gain (" + o.number("min_gain") + "), got " + o.number("max_gain"))),
                    (o, lr) -> scaledWithMomentum(o, new AdaptiveGains(o.number("gain_increment"), o.number("gain_decay"), o.number("min_gain"),
                            o.number("max_gain")), lr)),
            chain("momentum_ramp", "SGD whose momentum rises linearly from initial_momentum to momentum over ramp_steps",
                    List.of(lr(0.01), fraction("initial_momentum", 0.5), fraction("momentum", 0.9), integer("ramp_steps", 1000, 0), weightDecay(0.0)),
                    List.of(),
                    (o, lr) -> links(decay(o), new MomentumRamp(o.number("initial_momentum"), o.number("momentum"), o.integer("ramp_steps")),
                            new ScaleByLearningRate(lr))),
            new OptimizerSchema("lbfgs", "L-BFGS (Liu and Nocedal, 1989) as torch.optim.LBFGS; for full-batch problems (batch_size >= the training set)",
                    List.of(number("lr", 1.0, v -> v > 0, "a learning rate > 0"), integer("max_iter", 20, 1), integer("max_eval", 0, 0),
                            nonNegative("tolerance_grad", 1e-7), nonNegative("tolerance_change", 1e-9), integer("history_size", 100, 1),
                            choice("line_search_fn", "none", "none", "strong_wolfe")),
                    List.of(), null, Optimizers::lbfgs));

    /** torch's default max_eval is max_iter * 5 / 4, written 0 in the options. */
    private static ClosureMethod lbfgs(OptimizerOptions o, List<Tensor> params) {
        long maxEval = o.integer("max_eval");
        return new Lbfgs(params, o.number("lr"), Math.toIntExact(o.integer("max_iter")), maxEval == 0 ? -1 : Math.toIntExact(maxEval),
                o.number("tolerance_grad"), o.number("tolerance_change"), Math.toIntExact(o.integer("history_size")), o.string("line_search_fn"));
    }

    /**
     * torch.optim.Rprop reads lr once, as every weight's initial step size; a scheduler changing lr later changes
     * nothing. So the schedule's value at step 1 is the initial step size, and the step itself is taken by a
     * learning-rate link of 1 (only the trainer's lr scale applies there).
     */
    private static GradientTransform rpropChain(OptimizerOptions o, Schedule lr) {
        double[] etas = o.pair("etas"), steps = o.pair("step_sizes");
        return Chain.of(new ScaleByRprop(lr.learningRate(1), etas[0], etas[1], steps[0], steps[1]), new ScaleByLearningRate(Schedule.constant(1.0)));
    }

    private static GradientTransform decay(OptimizerOptions o) {
        return o.number("weight_decay") != 0 ? new AddDecayedWeights(o.number("weight_decay")) : null;
    }

    /** Adam's scaling; its beta1 is the schedule's at each step when the schedule cycles momentum. */
    private static ScaleByAdam adamScaling(OptimizerOptions o, Schedule lr) {
        return new ScaleByAdam(o.pair("betas")[0], o.pair("betas")[1], o.number("eps"), o.bool("amsgrad"), lr.momentum());
    }

    /** weight decay (if any) -> a per-weight scaling -> heavy-ball momentum (if > 0 or cycled by the schedule) -> learning rate. */
    private static GradientTransform scaledWithMomentum(OptimizerOptions o, GradientTransform scaling, Schedule lr) {
        double momentum = o.number("momentum");
        return links(decay(o), scaling, momentum > 0 || lr.momentum() != null ? new TraceMomentum(momentum, 0, false, lr.momentum()) : null,
                new ScaleByLearningRate(lr));
    }

    /** The links that are there (a null is an option that is off), as one chain. */
    private static Chain links(GradientTransform... links) {
        List<GradientTransform> present = new ArrayList<>();
        for (GradientTransform l : links) if (l != null) present.add(l);
        return new Chain(present);
    }

    // ------------------------------------------------------------------ lookup

    /** The registered names, in registry order. */
    public static List<String> names() {
        return SCHEMAS.stream().map(OptimizerSchema::name).toList();
    }

    /** The schema of a name; IllegalArgumentException listing the valid names when there is none. */
    public static OptimizerSchema schema(String name) {
        for (OptimizerSchema s : SCHEMAS) if (s.name().equals(name)) return s;
        throw new IllegalArgumentException("unknown optimizer '" + name + "'; valid: " + String.join(", ", names()));
    }

    /** The named optimizer's chain for {@code options} (defaults for the rest), its learning rate constant at {@code lr}. */
    public static GradientTransform transform(String name, Map<String, ?> options) {
        OptimizerOptions o = schema(name).validate(options);
        return schema(name).transform(o, Schedule.constant(o.lr()));
    }

    /**
     * Builds an optimizer by registry name; options not given take torch.optim's defaults. Unknown names and
     * options are rejected with IllegalArgumentException listing the valid ones, bad values with {@link OptionException}.
     */
    public static Optimizer byName(String name, Map<String, ?> options, Map<String, Tensor> params) {
        return OptimizerAssembly.of(name, options).build(params);
    }

    // ------------------------------------------------------------------ the Java API: positional options, checked by the schema

    private static Map<String, Object> opts(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    /** torch.optim.SGD(lr, momentum, dampening, weight_decay, nesterov). */
    public static Optimizer sgd(Map<String, Tensor> params, double lr, double momentum, double dampening, boolean nesterov, double weightDecay) {
        return byName("sgd", opts("lr", lr, "momentum", momentum, "dampening", dampening, "nesterov", nesterov, "weight_decay", weightDecay), params);
    }

    public static Optimizer sgd(Map<String, Tensor> params, double lr) {
        return byName("sgd", opts("lr", lr), params);
    }

    /** torch.optim.Adam(lr, betas, eps, weight_decay, amsgrad); defaults (0.9, 0.999), 1e-8. */
    public static Optimizer adam(Map<String, Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        return byName("adam", opts("lr", lr, "betas", List.of(beta1, beta2), "eps", eps, "weight_decay", weightDecay, "amsgrad", amsgrad), params);
    }

    public static Optimizer adam(Map<String, Tensor> params, double lr) {
        return byName("adam", opts("lr", lr), params);
    }

    /** torch.optim.AdamW: Adam with decoupled weight decay (Loshchilov and Hutter, 2019), p -= lr (adam + wd p); default wd 0.01. */
    public static Optimizer adamw(Map<String, Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        return byName("adamw", opts("lr", lr, "betas", List.of(beta1, beta2), "eps", eps, "weight_decay", weightDecay, "amsgrad", amsgrad), params);
    }

    /** torch.optim.Adagrad(lr 0.01, lr_decay 0, weight_decay 0, initial_accumulator_value 0, eps 1e-10). */
    public static Optimizer adagrad(Map<String, Tensor> params, double lr, double lrDecay, double weightDecay, double initialAccumulatorValue, double eps) {
        return byName("adagrad", opts("lr", lr, "lr_decay", lrDecay, "weight_decay", weightDecay, "initial_accumulator_value", initialAccumulatorValue,
                "eps", eps), params);
    }

    /** torch.optim.Adadelta(lr 1.0, rho 0.9, eps 1e-6, weight_decay 0). */
    public static Optimizer adadelta(Map<String, Tensor> params, double lr, double rho, double eps, double weightDecay) {
        return byName("adadelta", opts("lr", lr, "rho", rho, "eps", eps, "weight_decay", weightDecay), params);
    }

    /** torch.optim.RMSprop(lr 0.01, alpha 0.99, eps 1e-8, weight_decay 0, momentum 0, centered false). */
    public static Optimizer rmsprop(Map<String, Tensor> params, double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered) {
        return byName("rmsprop", opts("lr", lr, "alpha", alpha, "eps", eps, "weight_decay", weightDecay, "momentum", momentum, "centered", centered), params);
    }

    /** torch.optim.Adamax(lr 2e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0). */
    public static Optimizer adamax(Map<String, Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        return byName("adamax", opts("lr", lr, "betas", List.of(beta1, beta2), "eps", eps, "weight_decay", weightDecay), params);
    }

    /** torch.optim.NAdam(lr 2e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0, momentum_decay 4e-3). */
    public static Optimizer nadam(Map<String, Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay, double momentumDecay) {
        return byName("nadam", opts("lr", lr, "betas", List.of(beta1, beta2), "eps", eps, "weight_decay", weightDecay, "momentum_decay", momentumDecay),
                params);
    }

    /** torch.optim.RAdam(lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0). */
    public static Optimizer radam(Map<String, Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        return byName("radam", opts("lr", lr, "betas", List.of(beta1, beta2), "eps", eps, "weight_decay", weightDecay), params);
    }

    /** torch.optim.Rprop(lr 0.01, etas (0.5, 1.2), step_sizes (1e-6, 50)); lr is the initial step size. */
    public static Optimizer rprop(Map<String, Tensor> params, double lr, double etaMinus, double etaPlus, double minStep, double maxStep) {
        return byName("rprop", opts("lr", lr, "etas", List.of(etaMinus, etaPlus), "step_sizes", List.of(minStep, maxStep)), params);
    }

    /** SGD (plain, or with heavy-ball momentum when momentum > 0) on gradients scaled by per-weight adaptive gains. */
    public static Optimizer adaptiveGains(Map<String, Tensor> params, double lr, double momentum, double weightDecay, AdaptiveGains gains) {
        return byName("adaptive_gains", opts("lr", lr, "momentum", momentum, "weight_decay", weightDecay, "gain_increment", gains.increment(),
                "gain_decay", gains.decay(), "min_gain", gains.minGain(), "max_gain", gains.maxGain()), params);
    }

    /** SGD whose momentum rises linearly from initialMomentum to momentum over rampSteps steps. */
    public static Optimizer momentumRamp(Map<String, Tensor> params, double lr, double initialMomentum, double momentum, long rampSteps, double weightDecay) {
        return byName("momentum_ramp", opts("lr", lr, "initial_momentum", initialMomentum, "momentum", momentum, "ramp_steps", rampSteps,
                "weight_decay", weightDecay), params);
    }
}
