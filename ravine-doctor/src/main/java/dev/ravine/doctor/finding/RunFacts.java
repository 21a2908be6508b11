package dev.ravine.doctor.finding;

import java.util.List;

/**
 * What detectors need to know about the run besides its readings, so that remedies can name concrete changes:
 * the learning rate and optimizer name, the number of classes (for the chance-level loss), and each top-level
 * layer's config kind in order (so "add batchnorm after layer 2" can be said).
 */
public record RunFacts(double learningRate, String optimizer, int numClasses, List<String> layerKinds) {
    public RunFacts {
        layerKinds = List.copyOf(layerKinds);
    }
}
