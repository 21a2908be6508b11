package dev.ravine.doctor.detect;

import static dev.ravine.doctor.detect.Readings.fmt;

import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Refutation;
import dev.ravine.doctor.finding.Remedies;
import dev.ravine.doctor.finding.Remedy;
import dev.ravine.doctor.finding.RunFacts;
import dev.ravine.doctor.finding.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Why the training loss stayed high: model bias or optimization (note 001: first look at the training loss; compare
 * with a smaller or shallower network, since a deeper net worse than a shallower one on the training data is an
 * optimization problem, not a lack of capacity; note 004: check that the model can overfit a small subset). The app
 * measures the reference losses (fresh networks trained on a short budget); this rule decides:
 * <ol>
 *   <li>the loss is <b>high</b> when the run's final training loss is above {@code highFraction} x where it started: the
 *       smaller of its first loss and the chance loss (the loss of the best constant prediction: the entropy of the
 *       class frequencies, or for a regression the targets' variance), so that a regression whose first loss was
 *       inflated by its initialization is not called fine for reaching the mean's loss;</li>
 *   <li>a <b>shallower</b> net (the same layers with all hidden blocks but the first removed) reaching below
 *       {@code betterFactor} x the run's own loss after as many steps: <b>optimization_issue</b> (depth is what fails
 *       to train), unless the removed blocks hold a layer narrower than the output needs (a bottleneck: the shallower
       net is then bigger where it matters, and the wider reference judges);</li>
 *   <li>a <b>wider</b> net (hidden layers 4x as wide and at least 64 units, or one hidden layer of 64 ReLUs when there
 *       is none) reaching below {@code betterFactor} x the run's own loss after as many steps: <b>model_bias</b> (the
 *       model is too small for the data);</li>
 *   <li>otherwise, the model failing to overfit a small subset (its loss there staying above {@code overfitFraction}
 *       x its first loss there), while the run itself has <b>stopped falling</b> (the median step loss of its last
 *       third less than {@code stillFalling} below that of its middle third): <b>optimization_issue</b>. A run still
 *       improving steadily is slow, not stuck, and a slow optimizer does not fit 64 samples in the subset's budget
 *       either; the references above need no such guard, being compared with the run at the same step. Only for a
 *       model with at least as many parameters as the subset has samples, or one whose loss there barely moved: a
 *       smaller one cannot memorize it, however well optimized, so its stopping short there says nothing about the
 *       optimizer, but its not moving at all does. A subset fit that itself diverged ({@link Measurements#subsetDiverged})
 *       casts no vote: it measured the step's length, not the model.</li>
 * </ol>
 * A model_bias verdict is then checked against the run itself ({@link #biasRefutation}): when the run's own end is not
 * clearly above the wider reference, or its loss still falls steadily at a rate that would reach the reference soon, the
 * finding is demoted to INFO with those numbers ({@link Refutation}): the references beat a run that was not finished,
 * which is no capacity verdict.
 * Every loss is compared by its excess over the loss's own floor when the config declares one ({@link Measurements#excess}:
 * label smoothing keeps cross-entropy above the smoothed targets' entropy), so "high" and "cannot overfit" mean far from
 * what the loss can reach, not from zero.
 * Losses are NaN when a reference was not measured (no such network for this model). Defaults: highFraction 0.5,
 * betterFactor 0.7, overfitFraction 0.25, stillFalling 0.1.
 */
public record TrainingLossDiagnosis(double highFraction, double betterFactor, double overfitFraction, double stillFalling) {
    /**
     * What the references measured; NaN where not measured. {@code runLossAtBudget}: the run's own mean step loss over
     * the same last steps of the references' budget (the references are judged against the run at the same point of
     * training, not at its end); {@code chanceLoss}: the best constant prediction's loss; {@code lateDrop}: the relative
     * fall of the run's median step loss from its middle third to its last third.
     */
    public record Measurements(double runLoss, double runFirstLoss, double shallowerLoss, double widerLoss, double subsetLoss,
                               double subsetFirstLoss, int subsetSize, long budgetSteps, long step, double runLossAtBudget, double chanceLoss,
                               double lateDrop, long parameters, double earlyDrop, int cutWidth, int outputs, double lossFloor) {
        /** Without the loss's floor (0: the loss can reach zero). */
        public Measurements(double runLoss, double runFirstLoss, double shallowerLoss, double widerLoss, double subsetLoss, double subsetFirstLoss,
                            int subsetSize, long budgetSteps, long step, double runLossAtBudget, double chanceLoss, double lateDrop, long parameters,
                            double earlyDrop, int cutWidth, int outputs) {
            this(runLoss, runFirstLoss, shallowerLoss, widerLoss, subsetLoss, subsetFirstLoss, subsetSize, budgetSteps, step, runLossAtBudget,
                    chanceLoss, lateDrop, parameters, earlyDrop, cutWidth, outputs, 0);
        }

        /**
         * A loss above the floor the loss itself declares ({@code lossFloor}: with label smoothing, the smoothed targets'
         * own entropy, which no prediction goes below): every comparison of losses is of these excesses, since a loss
         * at its floor has learnt all it can, however far from zero.
         */
        public double excess(double loss) {
            return loss - floor();
        }

        double floor() {
            return lossFloor > 0 && Double.isFinite(lossFloor) ? lossFloor : 0;
        }

        /** Without the widths of the shallower reference's cut (0: unknown, no bottleneck is claimed). */
        public Measurements(double runLoss, double runFirstLoss, double shallowerLoss, double widerLoss, double subsetLoss, double subsetFirstLoss,
                            int subsetSize, long budgetSteps, long step, double runLossAtBudget, double chanceLoss, double lateDrop, long parameters,
                            double earlyDrop) {
            this(runLoss, runFirstLoss, shallowerLoss, widerLoss, subsetLoss, subsetFirstLoss, subsetSize, budgetSteps, step, runLossAtBudget,
                    chanceLoss, lateDrop, parameters, earlyDrop, 0, 0);
        }

        /**
         * Whether the hidden layers the shallower reference removed include a bottleneck: one narrower than the output
         * needs ({@code cutWidth}, the narrowest of them, below {@code outputs} - 1, the free dimensions of the logits: a
         * softmax ignores one shift). The shallower net then differs from the run in capacity, not only in depth (a
         * one-unit ReLU layer before five classes around a circle puts every class on one line), so its win is no depth
         * verdict.
         */
        boolean shallowerCutsBottleneck() {
            return cutsBottleneck(cutWidth, outputs);
        }

        /** Without the fall from the run's first third to its middle one ({@code earlyDrop}: unknown, the fall is not judged steady). */
        public Measurements(double runLoss, double runFirstLoss, double shallowerLoss, double widerLoss, double subsetLoss, double subsetFirstLoss,
                            int subsetSize, long budgetSteps, long step, double runLossAtBudget, double chanceLoss, double lateDrop, long parameters) {
            this(runLoss, runFirstLoss, shallowerLoss, widerLoss, subsetLoss, subsetFirstLoss, subsetSize, budgetSteps, step, runLossAtBudget,
                    chanceLoss, lateDrop, parameters, Double.NaN);
        }

        /** Without the model's parameter count (0: unknown, the subset is then taken to be memorizable). */
        public Measurements(double runLoss, double runFirstLoss, double shallowerLoss, double widerLoss, double subsetLoss, double subsetFirstLoss,
                            int subsetSize, long budgetSteps, long step, double runLossAtBudget, double chanceLoss, double lateDrop) {
            this(runLoss, runFirstLoss, shallowerLoss, widerLoss, subsetLoss, subsetFirstLoss, subsetSize, budgetSteps, step, runLossAtBudget,
                    chanceLoss, lateDrop, 0);
        }

        /** Without the run's loss at the budget, its chance loss or its late drop (the run's final loss stands in). */
        public Measurements(double runLoss, double runFirstLoss, double shallowerLoss, double widerLoss, double subsetLoss, double subsetFirstLoss,
                            int subsetSize, long budgetSteps, long step) {
            this(runLoss, runFirstLoss, shallowerLoss, widerLoss, subsetLoss, subsetFirstLoss, subsetSize, budgetSteps, step, Double.NaN, Double.NaN,
                    Double.NaN);
        }

        /**
         * Whether the model's miss on the subset speaks of the optimizer: it has at least one parameter per sample (fewer
         * cannot, in general, interpolate that many values: a linear regression of 3 weights on 64 targets with unit
         * noise fell to 0.72x its first loss there and stopped at the noise), or its loss there did not fall even
         * {@value #SUBSET_STUCK_DROP} of the way (a small model that does not move at all is at no floor: y = w2 w1 x
         * from zeros stays at 1x, stuck at its saddle, on a target it could fit exactly). True when the count is unknown.
         */
        boolean subsetSpeaksOfTheOptimizer() {
            return parameters <= 0 || parameters >= subsetSize || excess(subsetLoss) > (1 - SUBSET_STUCK_DROP) * excess(subsetFirstLoss);
        }

        /**
         * Whether the subset fit diverged: its loss ended non-finite or at {@value LrTooHighDetector#STAYS_ABOVE}x its first
         * loss there or more (above the floor), the bar at which lr_too_high calls a run's loss diverging. Trained like the
         * run, at its learning rate, a fit that blew up says the step is too long for this model, not that the model cannot
         * fit 64 samples, so it casts no vote on the optimizer (a loss that did not move at all, a saddle's, still does).
         */
        boolean subsetDiverged() {
            return !Double.isFinite(subsetLoss) || excess(subsetLoss) >= LrTooHighDetector.STAYS_ABOVE * excess(subsetFirstLoss);
        }

        /** The run's loss the references are compared with: at their budget when known, else at the end. */
        double runReference() {
            return Double.isFinite(runLossAtBudget) ? runLossAtBudget : runLoss;
        }
    }

    /**
     * Whether a shallower reference whose removed layers narrow to {@code cutWidth} units lacks a bottleneck before
     * {@code outputs} outputs ({@link Measurements#shallowerCutsBottleneck}): its loss is then no depth verdict, so the app
     * need not spend the check's time training it.
     */
    public static boolean cutsBottleneck(int cutWidth, int outputs) {
        return cutWidth > 0 && cutWidth < outputs - 1;
    }

    /** The share of its first loss on the subset a model with fewer parameters than samples must fail to lose. */
    static final double SUBSET_STUCK_DROP = 0.1;

    public static TrainingLossDiagnosis defaults() {
        return new TrainingLossDiagnosis(0.5, 0.7, 0.25, 0.1);
    }

    /** Whether the run's loss stayed high enough for the references to be worth training. */
    public boolean isHigh(double runLoss, double runFirstLoss) {
        return isHigh(runLoss, runFirstLoss, Double.NaN);
    }

    /** As above, judged against the smaller of the first loss and the chance loss (when known). */
    public boolean isHigh(double runLoss, double runFirstLoss, double chanceLoss) {
        return isHigh(runLoss, runFirstLoss, chanceLoss, 0);
    }

    /**
     * As above, both losses taken above the loss's own floor ({@code floor}, 0 when none; {@link Measurements#excess}):
     * cross-entropy with label smoothing 0.2 over ten classes cannot go below 0.87, so a run from 2.29 to 1.15 has lost
     * 80% of what it could, not half.
     */
    public boolean isHigh(double runLoss, double runFirstLoss, double chanceLoss, double floor) {
        double start = chanceLoss > 0 && Double.isFinite(chanceLoss) ? Math.min(runFirstLoss, chanceLoss) : runFirstLoss;
        double f = floor > 0 && Double.isFinite(floor) ? floor : 0;
        return Double.isFinite(runLoss) && start - f > 0 && runLoss - f > highFraction * (start - f);
    }

    /** Whether the loss was still falling at the end: its last third's median more than stillFalling below its middle third's. */
    public boolean stillFalling(double lateDrop) {
        return lateDrop > stillFalling;
    }

    /** Whether the shallower reference beat the run: the verdict that depth, not capacity, is what fails to train. */
    public boolean depthDefeats(Measurements m) {
        return isHigh(m.runLoss(), m.runFirstLoss(), m.chanceLoss(), m.floor()) && !m.shallowerCutsBottleneck()
                && m.excess(m.shallowerLoss()) < betterFactor * m.excess(m.runReference());
    }

    public Optional<Finding> decide(Measurements m) {
        return decide(m, null);
    }

    /** @param facts the run's facts, for remedies that patch its layers (none of those when null) */
    public Optional<Finding> decide(Measurements m, RunFacts facts) {
        if (!isHigh(m.runLoss(), m.runFirstLoss(), m.chanceLoss(), m.floor())) return Optional.empty();
        String high = "training loss " + fmt(m.runLoss()) + " at the end = " + fmt(m.runLoss() / m.runFirstLoss()) + "x its first value "
                + fmt(m.runFirstLoss()) + (Double.isFinite(m.chanceLoss()) ? ", " + fmt(m.runLoss() / m.chanceLoss()) + "x the chance loss "
                + fmt(m.chanceLoss()) : "") + " (high: above " + fmt(highFraction) + "x" + (m.floor() > 0 ? ", both taken above the loss's floor "
                + fmt(m.floor()) + ", which no prediction goes below" : "") + ")" + (Double.isFinite(m.lateDrop())
                ? "; " + fmt(100 * m.lateDrop()) + "% lower from the run's middle third to its last" : "");
        double run = m.runReference();
        String same = " in " + m.budgetSteps() + " steps from a fresh start, trained like the run, which was at " + fmt(run) + " after as many";
        if (depthDefeats(m)) {
            return Optional.of(optimization(m, facts, List.of(high, "a shallower network (only the first hidden block) reaches training loss "
                    + fmt(m.shallowerLoss()) + same + ": the deeper model is worse on its own"
                    + " training data, so depth defeats the optimizer, not a lack of capacity (note 001)")));
        }
        if (m.excess(m.widerLoss()) < betterFactor * m.excess(run)) {
            List<String> evidence = new ArrayList<>(List.of(high, "a wider network reaches training loss " + fmt(m.widerLoss()) + same
                    + ": more capacity fits the data better"));
            if (m.shallowerCutsBottleneck()) {
                evidence.add("a hidden layer of " + m.cutWidth() + " unit(s) feeds " + m.outputs() + " outputs, which need " + (m.outputs() - 1)
                        + " free dimensions: a bottleneck" + (Double.isFinite(m.shallowerLoss()) ? " (a shallower net without it reaches "
                        + fmt(m.shallowerLoss()) + ")" : ""));
            } else if (Double.isFinite(m.shallowerLoss())) {
                evidence.add("a shallower one reaches " + fmt(m.shallowerLoss()) + ": depth is not the problem");
            }
            Finding bias = new Finding("model_bias", "Model too small for the data (model bias)", Severity.WARNING, m.step(), m.step(),
                    List.of(), evidence, "The training loss stays high because the model cannot represent the function: every network of"
                    + " this size is biased away from the data (note 001: model bias; a larger model lowers the training loss).",
                    biasRemedies(facts));
            return Optional.of(biasRefutation(m).map(r -> r.applyTo(bias)).orElse(bias));
        }
        if (m.excess(m.subsetLoss()) > overfitFraction * m.excess(m.subsetFirstLoss()) && !stillFalling(m.lateDrop()) && m.subsetSpeaksOfTheOptimizer()
                && !m.subsetDiverged()) {
            return Optional.of(optimization(m, facts, List.of(high, "trained on " + m.subsetSize() + " samples only, the model's loss stays at "
                    + fmt(m.subsetLoss()) + " (" + fmt(m.subsetLoss() / m.subsetFirstLoss()) + "x its first value): it cannot even overfit"
                    + " a small subset (note 004)")));
        }
        return Optional.empty();
    }

    /**
     * A late fall at least this share of the early one (in log terms, per third of the run) is steady: the run has not
     * met a floor. A model too small meets one and slows down as it nears it.
     */
    static final double STEADY = 0.5;
    /** How many more thirds of the run a steady fall may take to reach the wider reference: four more runs of its length. */
    static final double CATCH_UP_THIRDS = 12;

    /**
     * What refutes a capacity verdict: the run's own final loss is not clearly above the wider reference's (within
     * betterFactor: the references, at the run's step count or fewer, cannot beat what the run itself reached); or the
     * run's loss still falls at the end at a steady rate (its last third's fall more than stillFalling and at least
     * {@value #STEADY} of its middle third's, in log terms) that reaches the wider reference's loss within
     * {@value #CATCH_UP_THIRDS} more thirds of the run: a run too short or too slow, whose end the references beat only
     * by learning faster, which says nothing of what this model can represent.
     */
    Optional<Refutation> biasRefutation(Measurements m) {
        if (!(m.excess(m.widerLoss()) < betterFactor * m.excess(m.runLoss()))) {
            return Optional.of(new Refutation("model_bias", List.of("the run's own final training loss " + fmt(m.runLoss())
                    + " is within " + fmt(betterFactor) + "x of the wider reference's " + fmt(m.widerLoss())
                    + ": no reference beats what the run reached by a clear margin")));
        }
        double late = -Math.log1p(-m.lateDrop()), early = -Math.log1p(-m.earlyDrop());
        if (!stillFalling(m.lateDrop()) || !(early > 0) || late < STEADY * early) return Optional.empty();
        double thirds = Math.log(m.excess(m.runLoss()) / m.excess(m.widerLoss())) / late;
        if (!(thirds <= CATCH_UP_THIRDS)) return Optional.empty();
        return Optional.of(new Refutation("model_bias", List.of("the loss is still falling at a steady rate: " + fmt(100 * m.earlyDrop())
                + "% lower from the run's first third to its middle, " + fmt(100 * m.lateDrop()) + "% from its middle to its last; at that rate"
                + " it reaches the wider reference's " + fmt(m.widerLoss()) + " in " + fmt(thirds / 3) + " more runs of its length: the run is"
                + " too short (or its steps too small) for a capacity verdict")));
    }

    private static List<Remedy> biasRemedies(RunFacts facts) {
        List<Remedy> out = new ArrayList<>();
        if (facts == null) return out;
        Remedies.widerAtLeast(facts, 4, 64, "the wider reference (4x units, at least 64) reached a lower loss").ifPresent(out::add);
        Remedies.deeper(facts).ifPresent(out::add);
        return out;
    }

    private static List<Remedy> optimizationRemedies(RunFacts facts) {
        List<Remedy> out = new ArrayList<>();
        if (facts != null) {
            Remedies.batchnormAfterWeighted(facts, "normalization keeps the gradient flowing through depth (note 003)").ifPresent(out::add);
            Remedies.initializationFitting(facts, "initialization that keeps each layer's gain near 1").ifPresent(out::add);
        }
        Remedies.adam(facts, "per-parameter steps compensate for badly scaled gradients").ifPresent(out::add);
        return out;
    }

    private static Finding optimization(Measurements m, RunFacts facts, List<String> evidence) {
        return new Finding("optimization_issue", "Training loss high from an optimization problem", Severity.WARNING, m.step(), m.step(), List.of(),
                evidence, "The model has the capacity but the optimizer does not find it: with depth, products of per-layer factors make"
                + " the gradients vanish or explode, and plain deep networks train worse than shallow ones (note 001: a 56-layer net worse"
                + " than a 20-layer one on the training data).",
                optimizationRemedies(facts));
    }
}
