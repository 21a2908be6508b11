package dev.ravine.train;

import dev.ravine.autograd.GradMode;
import dev.ravine.data.Batch;
import dev.ravine.data.DataLoader;
import dev.ravine.data.Dataset;
import dev.ravine.nn.Module;
import dev.ravine.nn.functional.Functional;
import dev.ravine.tensor.Tensor;
import java.util.List;

/**
 * A model's predicted class probabilities (softmax of its outputs) for every sample of a data set, row-major
 * {@code [samples, classes]}; the means of several models' probabilities are an ensemble's prediction.
 */
public record ClassProbabilities(float[] values, int samples, int classes) {
    public ClassProbabilities {
        if (values.length != (long) samples * classes) {
            throw new IllegalArgumentException(values.length + " probabilities are not " + samples + " samples x " + classes + " classes");
        }
    }

    /** softmax(model(x)) for every sample of {@code data}, in inference mode, in batches of {@code batchSize}. */
    public static ClassProbabilities of(Module model, Dataset data, int batchSize) {
        boolean wasTraining = model.isTraining();
        model.eval();
        float[] out = null;
        int classes = 0;
        try (var scope = GradMode.noGrad()) {
            for (Batch batch : new DataLoader(data, batchSize, false, false, 0).epoch(0)) {
                Tensor p = Functional.softmax(model.call(batch.inputs()));
                if (p.dim() != 2) throw new IllegalArgumentException("class probabilities need outputs [batch, classes], got "
                        + java.util.Arrays.toString(p.shape()));
                if (out == null) {
                    classes = p.size(1);
                    out = new float[data.size() * classes];
                }
                System.arraycopy(p.toArray(), 0, out, batch.index() * batchSize * classes, batch.size() * classes);
            }
        } finally {
            model.train(wasTraining);
        }
        return new ClassProbabilities(out, data.size(), classes);
    }

    /** The ensemble's prediction: the mean of the members' probabilities, sample by sample and class by class. */
    public static ClassProbabilities mean(List<ClassProbabilities> members) {
        if (members.isEmpty()) throw new IllegalArgumentException("an ensemble needs at least one member");
        ClassProbabilities first = members.getFirst();
        double[] sum = new double[first.values.length];
        for (ClassProbabilities m : members) {
            if (m.samples != first.samples || m.classes != first.classes) {
                throw new IllegalArgumentException("ensemble members disagree: " + m.samples + " x " + m.classes + " vs "
                        + first.samples + " x " + first.classes);
            }
            for (int i = 0; i < sum.length; i++) sum[i] += m.values[i];
        }
        float[] mean = new float[sum.length];
        for (int i = 0; i < sum.length; i++) mean[i] = (float) (sum[i] / members.size());
        return new ClassProbabilities(mean, first.samples, first.classes);
    }

    /** The most probable class of each sample (the first on ties). */
    public int[] predictions() {
        int[] predicted = new int[samples];
        for (int s = 0; s < samples; s++) {
            int best = 0;
            for (int c = 1; c < classes; c++) if (values[s * classes + c] > values[s * classes + best]) best = c;
            predicted[s] = best;
        }
        return predicted;
    }

    /**
     * The mean negative log-probability of the labels (the cross-entropy of the predictions; for an ensemble, of the
     * averaged probabilities). A label given probability 0 (underflow of a very confident mistake) makes it infinite,
     * as it is: no floor is put under the probability.
     */
    public double logLoss(int[] labels) {
        if (labels.length != samples) throw new IllegalArgumentException(labels.length + " labels for " + samples + " samples");
        double sum = 0;
        for (int s = 0; s < samples; s++) sum -= Math.log(values[s * classes + labels[s]]);
        return sum / samples;
    }

    /** The fraction of samples whose most probable class is their label. */
    public double accuracy(int[] labels) {
        if (labels.length != samples) throw new IllegalArgumentException(labels.length + " labels for " + samples + " samples");
        int[] predicted = predictions();
        int correct = 0;
        for (int s = 0; s < samples; s++) if (predicted[s] == labels[s]) correct++;
        return correct / (double) samples;
    }
}
