package dev.ravine.doctor.finding;

import java.util.List;

/**
 * What detectors need to know about the run besides its readings, so that remedies can name concrete changes:
 * the learning rate and optimizer name, whether the optimizer's steps are adaptive (scaled per coordinate by a
 * {@link dev.ravine.optim.DiagonalPreconditioner}: Adam, RMSprop, Adagrad, ...), the number of classes (for the chance-level loss), each top-level layer's
 * config kind in order (so "add batchnorm after layer 2" can be said), and the run's first loss (NaN until known),
 * the scale against which a change of the loss is judged significant.
 */
public record RunFacts(double learningRate, String optimizer, boolean adaptive, int numClasses, List<String> layerKinds, double firstLoss,
                       List<String> layerYaml) {
    public RunFacts {
        layerKinds = List.copyOf(layerKinds);
        layerYaml = List.copyOf(layerYaml);
        if (layerYaml.size() != layerKinds.size()) throw new IllegalArgumentException("one YAML text per layer kind");
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
        return new RunFacts(learningRate, optimizer, adaptive, numClasses, layerKinds, firstLoss, yaml);
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
        return new RunFacts(learningRate, optimizer, adaptive, numClasses, layerKinds, loss, layerYaml);
    }

    /**
     * A loss level too small to matter: {@value #NEGLIGIBLE} of the first loss. Near convergence the loss moves by
     * large factors at tiny values (1e-12 to 1e-10), which is no spike or divergence; 0 while the first loss is unknown.
     */
    public double negligibleLoss() {
        return Double.isFinite(firstLoss) ? NEGLIGIBLE * Math.abs(firstLoss) : 0;
    }

    public static final double NEGLIGIBLE = 1e-3;
}
