package dev.ravine.optim;

import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named chains with torch.optim's defaults and update rules (torch 1.13's single-tensor code paths): sgd, adam, adamw,
 * adagrad, adadelta, rmsprop, adamax, nadam, radam, rprop, plus two from Hinton's lecture 6 that torch.optim lacks,
 * adaptive_gains and momentum_ramp. {@link #byName} builds any of them from an option map with torch's option names
 * ({@link #SPECS} lists names, options and defaults); tools/gen_optimizer_trajectories.py and
 * OptimizerTrajectoryTest check them against torch.
 */
public final class Optimizers {
    private Optimizers() {}

    /** torch.optim.SGD(lr, momentum, dampening, weight_decay, nesterov). */
    public static Optimizer sgd(Map<String, Tensor> params, double lr, double momentum, double dampening, boolean nesterov, double weightDecay) {
        List<GradientTransform> links = new ArrayList<>();
        if (weightDecay != 0) links.add(new AddDecayedWeights(weightDecay));
        if (momentum != 0) links.add(new TraceMomentum(momentum, dampening, nesterov));
        else if (nesterov) throw new IllegalArgumentException("Nesterov momentum requires momentum > 0");
        links.add(new ScaleByLearningRate(Schedule.constant(lr)));
        return new Optimizer(params, new Chain(links));
    }

    public static Optimizer sgd(Map<String, Tensor> params, double lr) {
        return sgd(params, lr, 0, 0, false, 0);
    }

    /** torch.optim.Adam(lr, betas, eps, weight_decay, amsgrad); defaults (0.9, 0.999), 1e-8. */
    public static Optimizer adam(Map<String, Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        List<GradientTransform> links = new ArrayList<>();
        if (weightDecay != 0) links.add(new AddDecayedWeights(weightDecay));
        links.add(new ScaleByAdam(beta1, beta2, eps, amsgrad));
        links.add(new ScaleByLearningRate(Schedule.constant(lr)));
        return new Optimizer(params, new Chain(links));
    }

    public static Optimizer adam(Map<String, Tensor> params, double lr) {
        return adam(params, lr, 0.9, 0.999, 1e-8, 0, false);
    }

    private static Optimizer chain(Map<String, Tensor> params, double weightDecay, GradientTransform core, double lr) {
        List<GradientTransform> links = new ArrayList<>();
        if (weightDecay != 0) links.add(new AddDecayedWeights(weightDecay));
        links.add(core);
        links.add(new ScaleByLearningRate(Schedule.constant(lr)));
        return new Optimizer(params, new Chain(links));
    }

    /** torch.optim.AdamW: Adam with decoupled weight decay (Loshchilov and Hutter, 2019), p -= lr (adam + wd p); default wd 0.01. */
    public static Optimizer adamw(Map<String, Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        List<GradientTransform> links = new ArrayList<>();
        links.add(new ScaleByAdam(beta1, beta2, eps, amsgrad));
        if (weightDecay != 0) links.add(new AddDecayedWeights(weightDecay));
        links.add(new ScaleByLearningRate(Schedule.constant(lr)));
        return new Optimizer(params, new Chain(links));
    }

    /** torch.optim.Adagrad(lr 0.01, lr_decay 0, weight_decay 0, initial_accumulator_value 0, eps 1e-10). */
    public static Optimizer adagrad(Map<String, Tensor> params, double lr, double lrDecay, double weightDecay, double initialAccumulatorValue, double eps) {
        return chain(params, weightDecay, new ScaleByAdagrad(lrDecay, initialAccumulatorValue, eps), lr);
    }

    /** torch.optim.Adadelta(lr 1.0, rho 0.9, eps 1e-6, weight_decay 0). */
    public static Optimizer adadelta(Map<String, Tensor> params, double lr, double rho, double eps, double weightDecay) {
        return chain(params, weightDecay, new ScaleByAdadelta(rho, eps), lr);
    }

    /** torch.optim.RMSprop(lr 0.01, alpha 0.99, eps 1e-8, weight_decay 0, momentum 0, centered false). */
    public static Optimizer rmsprop(Map<String, Tensor> params, double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered) {
        return scaledWithMomentum(params, weightDecay, new ScaleByRms(alpha, eps, centered), momentum, lr);
    }

    /** torch.optim.Adamax(lr 2e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0). */
    public static Optimizer adamax(Map<String, Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        return chain(params, weightDecay, new ScaleByAdamax(beta1, beta2, eps), lr);
    }

    /** torch.optim.NAdam(lr 2e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0, momentum_decay 4e-3). */
    public static Optimizer nadam(Map<String, Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay, double momentumDecay) {
        return chain(params, weightDecay, new ScaleByNadam(beta1, beta2, eps, momentumDecay), lr);
    }

    /** torch.optim.RAdam(lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0). */
    public static Optimizer radam(Map<String, Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        return chain(params, weightDecay, new ScaleByRadam(beta1, beta2, eps), lr);
    }

    /** torch.optim.Rprop(lr 0.01, etas (0.5, 1.2), step_sizes (1e-6, 50)); lr is the initial step size. */
    public static Optimizer rprop(Map<String, Tensor> params, double lr, double etaMinus, double etaPlus, double minStep, double maxStep) {
        return new Optimizer(params, Chain.of(new ScaleByRprop(lr, etaMinus, etaPlus, minStep, maxStep),
                new ScaleByLearningRate(Schedule.constant(1.0))));
    }

    /** SGD (plain, or with heavy-ball momentum when momentum > 0) on gradients scaled by per-weight adaptive gains. */
    public static Optimizer adaptiveGains(Map<String, Tensor> params, double lr, double momentum, double weightDecay, AdaptiveGains gains) {
        return scaledWithMomentum(params, weightDecay, gains, momentum, lr);
    }

    /** weight decay (if any) -> a per-weight scaling -> heavy-ball momentum (if > 0) -> learning rate. */
    private static Optimizer scaledWithMomentum(Map<String, Tensor> params, double weightDecay, GradientTransform scaling, double momentum,
                                                double lr) {
        HyperParameters.requireNonNegative("momentum", momentum);
        List<GradientTransform> links = new ArrayList<>();
        if (weightDecay != 0) links.add(new AddDecayedWeights(weightDecay));
        links.add(scaling);
        if (momentum > 0) links.add(new TraceMomentum(momentum, 0, false));
        links.add(new ScaleByLearningRate(Schedule.constant(lr)));
        return new Optimizer(params, new Chain(links));
    }

    /** SGD whose momentum rises linearly from initialMomentum to momentum over rampSteps steps. */
    public static Optimizer momentumRamp(Map<String, Tensor> params, double lr, double initialMomentum, double momentum, long rampSteps, double weightDecay) {
        return chain(params, weightDecay, new MomentumRamp(initialMomentum, momentum, rampSteps), lr);
    }

    // ------------------------------------------------------------------ registry

    private static Map<String, Object> opts(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    private static List<Double> pairOf(double a, double b) {
        return List.of(a, b);
    }

    /** Every optimizer {@link #byName} knows, with torch.optim's option names and defaults. */
    public static final List<OptimizerSpec> SPECS = List.of(
            new OptimizerSpec("sgd", "stochastic gradient descent, optionally with (Nesterov) momentum",
                    opts("lr", 0.01, "momentum", 0.0, "dampening", 0.0, "nesterov", false, "weight_decay", 0.0),
                    (p, o) -> sgd(p, o.number("lr"), o.number("momentum"), o.number("dampening"), o.bool("nesterov"), o.number("weight_decay"))),
            new OptimizerSpec("adam", "Adam (Kingma and Ba, 2015), optionally AMSGrad",
                    opts("lr", 1e-3, "betas", pairOf(0.9, 0.999), "eps", 1e-8, "weight_decay", 0.0, "amsgrad", false),
                    (p, o) -> adam(p, o.number("lr"), o.pair("betas")[0], o.pair("betas")[1], o.number("eps"), o.number("weight_decay"), o.bool("amsgrad"))),
            new OptimizerSpec("adamw", "Adam with decoupled weight decay (Loshchilov and Hutter, 2019)",
                    opts("lr", 1e-3, "betas", pairOf(0.9, 0.999), "eps", 1e-8, "weight_decay", 0.01, "amsgrad", false),
                    (p, o) -> adamw(p, o.number("lr"), o.pair("betas")[0], o.pair("betas")[1], o.number("eps"), o.number("weight_decay"), o.bool("amsgrad"))),
            new OptimizerSpec("adagrad", "Adagrad (Duchi et al., 2011)",
                    opts("lr", 0.01, "lr_decay", 0.0, "weight_decay", 0.0, "initial_accumulator_value", 0.0, "eps", 1e-10),
                    (p, o) -> adagrad(p, o.number("lr"), o.number("lr_decay"), o.number("weight_decay"), o.number("initial_accumulator_value"), o.number("eps"))),
            new OptimizerSpec("adadelta", "Adadelta (Zeiler, 2012)",
                    opts("lr", 1.0, "rho", 0.9, "eps", 1e-6, "weight_decay", 0.0),
                    (p, o) -> adadelta(p, o.number("lr"), o.number("rho"), o.number("eps"), o.number("weight_decay"))),
            new OptimizerSpec("rmsprop", "RMSprop (Hinton, lecture 6e), optionally centered and with momentum",
                    opts("lr", 0.01, "alpha", 0.99, "eps", 1e-8, "weight_decay", 0.0, "momentum", 0.0, "centered", false),
                    (p, o) -> rmsprop(p, o.number("lr"), o.number("alpha"), o.number("eps"), o.number("weight_decay"), o.number("momentum"), o.bool("centered"))),
            new OptimizerSpec("adamax", "AdaMax, Adam with the infinity norm (Kingma and Ba, 2015)",
                    opts("lr", 2e-3, "betas", pairOf(0.9, 0.999), "eps", 1e-8, "weight_decay", 0.0),
                    (p, o) -> adamax(p, o.number("lr"), o.pair("betas")[0], o.pair("betas")[1], o.number("eps"), o.number("weight_decay"))),
            new OptimizerSpec("nadam", "NAdam, Adam with Nesterov momentum (Dozat, 2016)",
                    opts("lr", 2e-3, "betas", pairOf(0.9, 0.999), "eps", 1e-8, "weight_decay", 0.0, "momentum_decay", 4e-3),
                    (p, o) -> nadam(p, o.number("lr"), o.pair("betas")[0], o.pair("betas")[1], o.number("eps"), o.number("weight_decay"), o.number("momentum_decay"))),
            new OptimizerSpec("radam", "RAdam, rectified Adam (Liu et al., 2020)",
                    opts("lr", 1e-3, "betas", pairOf(0.9, 0.999), "eps", 1e-8, "weight_decay", 0.0),
                    (p, o) -> radam(p, o.number("lr"), o.pair("betas")[0], o.pair("betas")[1], o.number("eps"), o.number("weight_decay"))),
            new OptimizerSpec("rprop", "resilient backpropagation (Riedmiller and Braun, 1993); full-batch only",
                    opts("lr", 0.01, "etas", pairOf(0.5, 1.2), "step_sizes", pairOf(1e-6, 50.0)),
                    (p, o) -> rprop(p, o.number("lr"), o.pair("etas")[0], o.pair("etas")[1], o.pair("step_sizes")[0], o.pair("step_sizes")[1])),
            new OptimizerSpec("adaptive_gains", "SGD (momentum optional) with per-weight adaptive gains (Hinton, lecture 6d)",
                    opts("lr", 0.01, "momentum", 0.0, "weight_decay", 0.0, "gain_increment", 0.05, "gain_decay", 0.95, "min_gain", 0.1, "max_gain", 10.0),
                    (p, o) -> adaptiveGains(p, o.number("lr"), o.number("momentum"), o.number("weight_decay"),
                            new AdaptiveGains(o.number("gain_increment"), o.number("gain_decay"), o.number("min_gain"), o.number("max_gain")))),
            new OptimizerSpec("momentum_ramp", "SGD whose momentum rises linearly from initial_momentum to momentum over ramp_steps",
                    opts("lr", 0.01, "initial_momentum", 0.5, "momentum", 0.9, "ramp_steps", 1000, "weight_decay", 0.0),
                    (p, o) -> momentumRamp(p, o.number("lr"), o.number("initial_momentum"), o.number("momentum"), o.integer("ramp_steps"), o.number("weight_decay"))),
            new OptimizerSpec("lbfgs", "L-BFGS (Liu and Nocedal, 1989) as torch.optim.LBFGS; for full-batch problems (batch_size >= the training set)",
                    opts("lr", 1.0, "max_iter", 20, "max_eval", 0, "tolerance_grad", 1e-7, "tolerance_change", 1e-9, "history_size", 100,
                            "line_search_fn", "none"),
                    (p, o) -> lbfgs(p, o)));

    /**
     * torch.optim.LBFGS(lr 1, max_iter 20, max_eval max_iter * 5 / 4 (given as 0), tolerance_grad 1e-7, tolerance_change
     * 1e-9, history_size 100, line_search_fn none | strong_wolfe); its steps take a closure ({@link Optimizer#step(java.util.function.Supplier)}).
     */
    private static Optimizer lbfgs(Map<String, Tensor> params, OptimizerSpec.Options o) {
        long maxEval = o.integer("max_eval");
        String lineSearch = o.string("line_search_fn");
        if (!lineSearch.equals("none") && !lineSearch.equals("strong_wolfe")) {
            throw new OptionException("lbfgs", "line_search_fn", "must be none or strong_wolfe, got " + lineSearch);
        }
        Lbfgs method = new Lbfgs(List.copyOf(params.values()), o.number("lr"), Math.toIntExact(o.integer("max_iter")),
                maxEval == 0 ? -1 : Math.toIntExact(maxEval), o.number("tolerance_grad"), o.number("tolerance_change"),
                Math.toIntExact(o.integer("history_size")), lineSearch);
        return new Optimizer(params, method);
    }

    /** The registered names, in registry order. */
    public static List<String> names() {
        return SPECS.stream().map(OptimizerSpec::name).toList();
    }

    /** The registry entry for a name; IllegalArgumentException listing the valid names when there is none. */
    public static OptimizerSpec spec(String name) {
        for (OptimizerSpec s : SPECS) if (s.name().equals(name)) return s;
        throw new IllegalArgumentException("unknown optimizer '" + name + "'; valid: " + String.join(", ", names()));
    }

    /**
     * Builds an optimizer by registry name; options not given take torch.optim's defaults. Unknown names and
     * options are rejected with IllegalArgumentException listing the valid ones.
     */
    public static Optimizer byName(String name, Map<String, ?> options, Map<String, Tensor> params) {
        OptimizerSpec spec = spec(name);
        Map<String, Object> values = new LinkedHashMap<>(spec.defaults());
        for (var e : options.entrySet()) {
            if (!values.containsKey(e.getKey())) {
                throw new IllegalArgumentException("unknown option '" + e.getKey() + "' for optimizer " + name + "; valid: "
                        + String.join(", ", spec.optionNames()));
            }
            values.put(e.getKey(), e.getValue());
        }
        return spec.factory().build(params, new OptimizerSpec.Options(name, values));
    }
}
