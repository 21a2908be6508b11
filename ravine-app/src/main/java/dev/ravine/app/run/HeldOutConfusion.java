package dev.ravine.app.run;

import dev.ravine.app.build.RunData;
import dev.ravine.app.store.ConfusionRecord;
import dev.ravine.app.store.RunStore;
import dev.ravine.data.Dataset;
import dev.ravine.nn.Module;
import dev.ravine.train.ClassProbabilities;
import dev.ravine.train.ConfusionMatrix;

/**
 * At the end of a classification run, the confusion matrix of the weights eval uses on the test set (else the
 * validation set), stored in run.db's meta for the report's per-class section.
 */
final class HeldOutConfusion {
    private HeldOutConfusion() {}

    static void record(RunStore store, RunData data, int batchSize, Module model, String weights) {
        Dataset heldOut = data.test() != null ? data.test() : data.validation();
        if (heldOut == null || !heldOut.isClassification()) return;
        ConfusionMatrix m = ConfusionMatrix.of(ClassProbabilities.of(model, heldOut, batchSize), heldOut.labels());
        store.putConfusion(new ConfusionRecord(data.test() != null ? "test" : "validation", weights, m.counts()));
    }
}
