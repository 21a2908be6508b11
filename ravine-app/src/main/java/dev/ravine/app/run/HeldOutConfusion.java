package dev.ravine.app.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.app.build.RunData;
import dev.ravine.app.report.ReportData;
import dev.ravine.app.store.RunStore;
import dev.ravine.data.Dataset;
import dev.ravine.nn.Module;
import dev.ravine.train.ClassProbabilities;
import dev.ravine.train.ConfusionMatrix;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

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
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("data", data.test() != null ? "test" : "validation");
        json.put("checkpoint", weights);
        json.put("counts", m.counts());
        try {
            store.putMeta(Map.of(ReportData.CONFUSION_META, new ObjectMapper().writeValueAsString(json)));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
