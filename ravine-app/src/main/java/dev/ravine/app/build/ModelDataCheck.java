package dev.ravine.app.build;

import dev.ravine.app.config.ConfigException;
import dev.ravine.app.config.LayerConfig;
import dev.ravine.app.config.RunConfig;
import dev.ravine.app.config.TrainingConfig;
import dev.ravine.data.DataLoader;
import dev.ravine.data.Dataset;
import dev.ravine.tensor.Shape;
import java.util.Arrays;
import java.util.List;

/**
 * Checks, before training, that the model, the loss and the data fit together: the sample shape is the model's
 * input, the output has one value per class for a classification loss (or the target's shape for a regression loss),
 * and the data has labels or targets as the loss needs. Each failure says which key to change.
 */
public final class ModelDataCheck {
    private static final List<String> CLASS_INDEX_LOSSES = List.of("cross_entropy", "nll");
    private static final List<String> REGRESSION_LOSSES = List.of("mse", "huber");

    private ModelDataCheck() {}

    /** Whether csv labels are to be read as regression targets for this loss. */
    public static boolean isRegression(String loss) {
        return REGRESSION_LOSSES.contains(loss);
    }

    public static void requireInput(RunConfig config, Dataset train) {
        int[] input = config.model().input();
        if (input != null && !Arrays.equals(input, train.sampleShape())) {
            throw new ConfigException("model.input: is " + Shape.str(input) + " but the samples of data.train ("
                    + config.data().train() + ") have shape " + Shape.str(train.sampleShape())
                    + "; set model.input to " + Shape.str(train.sampleShape()) + " or remove it to take the shape from the data ("
                    + config.model().origin().describe() + ")");
        }
    }

    public static void requireFits(RunConfig config, BuiltModel model, Dataset train, int numClasses) {
        MemoryEstimate.requireTraining(model, Math.min(config.training().batchSize(), train.size()));
        String loss = config.loss();
        int[] out = model.outputShape();
        List<LayerConfig> layers = model.resolvedLayers();
        String last = layers.getLast().path() + " (" + layers.getLast().origin().describe() + ")";
        if (CLASS_INDEX_LOSSES.contains(loss)) {
            if (!train.isClassification()) {
                throw new ConfigException("loss " + loss + " needs class labels, but the labels of data.train (" + config.data().train()
                        + ") are not all whole numbers >= 0, so they were read as regression targets; use loss: mse or huber");
            }
            if (out.length != 1) {
                throw new ConfigException("the model's output has shape " + Shape.str(out) + " per sample, but loss " + loss
                        + " needs one score per class, shape [" + numClasses + "]; add a flatten layer before the first linear "
                        + "layer, or end with linear: {out: " + numClasses + "} (last layer: " + last + ")");
            }
            if (out[0] < numClasses) {
                throw new ConfigException("the model's output has " + out[0] + " values per sample but the data has "
                        + numClasses + " classes (labels 0 to " + (numClasses - 1) + "); set the last layer's out to "
                        + numClasses + " (" + last + ")");
            }
        } else if (loss.equals("bce_with_logits")) {
            if (Shape.numel(out) != 1) {
                throw new ConfigException("loss bce_with_logits needs one logit per sample, but the model's output has shape "
                        + Shape.str(out) + "; end with linear: {out: 1} (last layer: " + last + ")");
            }
            if (train.isClassification() && numClasses > 2) {
                throw new ConfigException("loss bce_with_logits is for 0/1 labels, but the data has " + numClasses
                        + " classes; use loss: cross_entropy");
            }
        } else if (REGRESSION_LOSSES.contains(loss)) {
            if (train.isClassification()) {
                throw new ConfigException("loss " + loss + " needs numeric targets, but data.train (" + config.data().train()
                        + ") has class labels; use loss: cross_entropy for classification");
            }
            if (Shape.numel(out) != train.targetSize()) {
                throw new ConfigException("the model's output has shape " + Shape.str(out) + " per sample but the targets have shape "
                        + Shape.str(train.targetShape()) + "; end with linear: {out: " + train.targetSize() + "} (last layer: " + last + ")");
            }
        }
    }

    /** An epoch with no batch, or a last batch of one sample under batchnorm1d, fails only at training time: check now. */
    public static void requireBatches(DataLoader loader, TrainingConfig t, BuiltModel model) {
        int n = loader.dataset().size();
        if (loader.batchesPerEpoch() == 0) {
            throw new ConfigException("training.batch_size: " + t.batchSize() + " with drop_last: true leaves no batch from the "
                    + n + " training samples; lower batch_size or set drop_last: false (" + t.origin().describe() + ")");
        }
        boolean vectorBatchNorm = model.summary().stream()
                .anyMatch(r -> r.kind().equals("batchnorm1d") && r.outputShape().length == 1);
        if (vectorBatchNorm && !t.dropLast() && n % t.batchSize() == 1) {
            throw new ConfigException("training.batch_size: " + t.batchSize() + " leaves a last batch of 1 sample (of " + n
                    + " training samples), which batchnorm cannot normalize in training (as in PyTorch); set training.drop_last: "
                    + "true or change batch_size (" + t.origin().describe() + ")");
        }
    }
}
