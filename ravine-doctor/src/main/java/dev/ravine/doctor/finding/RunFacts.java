package dev.ravine.doctor.finding;

import java.util.List;

/**
 * What detectors need to know about the run besides its readings, so that remedies can name concrete changes:
 * the learning rate and optimizer name, whether the optimizer's steps are adaptive (scaled per coordinate by a
 * {@link dev.ravine.optim.DiagonalPreconditioner}: Adam, RMSprop, Adagrad, ...), the number of classes (for the chance-level loss), each top-level layer's
 * config kind in order (so "add batchnorm after layer 2" can be said), and the run's first loss (NaN until known),
 * the scale against which a change of the loss is judged significant, and whether the training inputs are already
 * standardized (checked on the data before the first step; false when not known), so that no remedy asks for what the
 * data already is.
 */
public record RunFacts(double learningRate, String optimizer, boolean adaptive, int numClasses, List<String> layerKinds, double firstLoss,
                       List<String> layerYaml, boolean inputsStandardized) {
    public RunFacts {
        layerKinds = List.copyOf(layerKinds);
        layerYaml = List.copyOf(layerYaml);
        if (layerYaml.size() != layerKinds.size()) throw new IllegalArgumentException("one YAML text per layer kind");
    }

    /** Facts without a check of the inputs' scale. */
    public RunFacts(double learningRate, String optimizer, boolean adaptive, int numClasses, List<String> layerKinds, double firstLoss,
                    List<String> layerYaml) {
        this(learningRate, optimizer, adaptive, numClasses, layerKinds, firstLoss, layerYaml, false);
    }

    /** With what the data check found of the inputs: already standardized (every feature with mean near 0, spread near 1). */
    public RunFacts withInputsStandardized(boolean standardized) {
        return new RunFacts(learningRate, optimizer, adaptive, numClasses, layerKinds, firstLoss, layerYaml, standardized);
    }

    /** Facts whose layers are known by kind only (each written as its bare name). */
    public RunFacts(double learningRate, String optimizer, boolean adaptive, int numClasses, List<String> layerKinds, double firstLoss) {
        this(learningRate, optimizer, adaptive, numClasses, layerKinds, firstLoss, layerKinds);
    }

    /**
     * With each top-level layer as the config writes it in flow YAML ({@code linear: {out: 256, init: he_normal}}), so
     * that a remedy can patch the layer list itself (add batchnorm, swap a cell, widen a layer).
     */
    public RunFacts withLayerYaml(List<String> yaml) {
        return new RunFacts(learningRate, optimizer, adaptive, numClasses, layerKinds, firstLoss, yaml, inputsStandardized);
    }

    /** The facts of a run whose optimizer's chain is {@code transform} (the run's own, so its adaptivity is read, not guessed). */
    public RunFacts(double learningRate, String optimizer, dev.ravine.optim.GradientTransform transform, int numClasses, List<String> layerKinds) {
        this(learningRate, optimizer, transform != null && dev.ravine.optim.DiagonalPreconditioner.presentIn(transform), numClasses, layerKinds,
                Double.NaN);
    }

    /** The facts of a run of the named optimizer with its default options (adaptivity from that optimizer's chain). */
    public RunFacts(double learningRate, String optimizer, int numClasses, List<String> layerKinds) {
        this(learningRate, optimizer, OptimizerKind.adaptive(optimizer), numClasses, layerKinds, Double.NaN);
    }

    public RunFacts withFirstLoss(double loss) {
        return new RunFacts(learningRate, optimizer, adaptive, numClasses, layerKinds, loss, layerYaml, inputsStandardized);
    }

    /**
     * A loss level too small to matter: {@value #NEGLIGIBLE} of the first loss. Near convergence the loss moves by
     * large factors at tiny values (1e-12 to 1e-10), which is no spike or divergence; 0 while the first loss is unknown.
     */
    public double negligibleLoss() {
        return Double.isFinite(firstLoss) ? NEGLIGIBLE * Math.abs(firstLoss) : 0;
    }

    public static final double NEGLIGIBLE = 1e-3;

    /** The loss of predicting the class frequencies of a balanced set, ln(classes), for a classification; NaN otherwise. */
    public double chanceLoss() {
        return numClasses >= 2 ? Math.log(numClasses) : Double.NaN;
    }

    /**
     * Whether the run started from a sane state: its first loss is finite and, for a classification, at most
     * {@value #SANE_START}x the chance loss (an initialization that makes the first loss huge is itself the problem).
     * A loss that grows from a sane start grows because of the steps taken, not because of where they started.
     */
    public boolean startedSane() {
        if (!Double.isFinite(firstLoss)) return false;
        double chance = chanceLoss();
        return Double.isNaN(chance) || firstLoss <= SANE_START * chance;
    }

    public static final double SANE_START = 3;

    /**
     * The loss the run started from, as a bar to judge progress and divergence against: the first loss, or for a
     * classification the larger of it and the chance loss, so that one lucky first batch does not set the bar.
     */
    public double startLoss() {
        double chance = chanceLoss();
        return Double.isNaN(chance) ? firstLoss : Math.max(firstLoss, chance);
    }
}
