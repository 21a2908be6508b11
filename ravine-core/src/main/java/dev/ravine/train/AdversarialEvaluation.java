package dev.ravine.train;

import dev.ravine.autograd.GradMode;
import dev.ravine.data.Batch;
import dev.ravine.data.DataLoader;
import dev.ravine.nn.Module;
import dev.ravine.nn.loss.Loss;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.SeedMix;
import dev.ravine.tensor.Tensor;

/**
 * Robust accuracy: the loss and accuracy of a model on adversarial versions of every sample of a data set (each
 * batch attacked against the model as it is, in inference mode). What adversarial training is for: a model trained
 * on FGSM examples should keep more of its accuracy here than one trained on clean data only.
 */
public final class AdversarialEvaluation {
    private static final long STREAM = 0x524F42L;

    private AdversarialEvaluation() {}

    /** @param seed for attacks with a random start: batch b uses the seed derived from (seed, b) */
    public static Evaluation evaluate(Module model, Loss loss, AdversarialAttack attack, DataLoader data, long seed) {
        boolean wasTraining = model.isTraining();
        model.eval();
        double lossSum = 0;
        long correct = 0;
        int samples = 0;
        try {
            for (Batch batch : data.epoch(0)) {
                int[] shape = batch.inputs().shape();
                Rng rng = new Rng(SeedMix.of(seed, STREAM, batch.index()));
                float[] adversarial = attack.perturb(model, loss, batch.inputs().toArray(), shape, batch.targets(), rng);
                try (var scope = GradMode.noGrad()) {
                    Tensor output = model.call(Tensor.of(adversarial, shape));
                    lossSum += loss.compute(output, batch.targets()).item() * batch.size();
                    if (loss.isClassification()) correct += countCorrect(output, batch.labels());
                }
                samples += batch.size();
            }
        } finally {
            model.train(wasTraining);
        }
        double accuracy = loss.isClassification() ? correct / (double) Math.max(samples, 1) : Double.NaN;
        return new Evaluation(lossSum / Math.max(samples, 1), accuracy, samples);
    }

    private static int countCorrect(Tensor logits, int[] labels) {
        int[] predicted = logits.argmax(1);
        int correct = 0;
        for (int i = 0; i < labels.length; i++) if (predicted[i] == labels[i]) correct++;
        return correct;
    }
}
