package dev.ravine.io;

import dev.ravine.nn.Module;
import dev.ravine.optim.Optimizer;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to continue a run exactly: parameters, buffers, the optimizer's state and step, the run's
 * Rng, where in the data the run stands (epoch and batch), and the running sums of the current epoch's metrics.
 * All arrays are copies, so a checkpoint held in memory is not changed by further training (rollback uses it).
 */
public record Checkpoint(
        long step,
        int epoch,
        int batchInEpoch,
        Map<String, float[]> parameters,
        Map<String, float[]> buffers,
        Map<String, float[]> optimizerArrays,
        Map<String, long[]> optimizerCounters,
        long[] rngState,
        double lrScale,
        double[] epochAccumulators) {

    public static Checkpoint capture(Module model, Optimizer optimizer, Rng rng, int epoch, int batchInEpoch, double[] epochAccumulators) {
        return new Checkpoint(optimizer.stepCount(), epoch, batchInEpoch, copy(model.namedParameters()), copy(model.namedBuffers()),
                optimizer.stateArrays(), optimizer.stateCounters(), rng.state(), optimizer.lrScale(), epochAccumulators.clone());
    }

    private static Map<String, float[]> copy(Map<String, Tensor> tensors) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (var e : tensors.entrySet()) out.put(e.getKey(), e.getValue().toArray());
        return out;
    }

    /** Only the model's weights, for evaluation. */
    public void restoreModel(Module model) {
        List<String> problems = new ArrayList<>();
        restoreInto("parameter", parameters, model.namedParameters(), problems);
        restoreInto("buffer", buffers, model.namedBuffers(), problems);
        if (!problems.isEmpty()) {
            throw new CheckpointException("the checkpoint does not fit this model:\n  " + String.join("\n  ", problems));
        }
    }

    /** Model, optimizer and Rng back to this point; every mismatch is reported at once. */
    public void restore(Module model, Optimizer optimizer, Rng rng) {
        List<String> problems = new ArrayList<>();
        restoreInto("parameter", parameters, model.namedParameters(), problems);
        restoreInto("buffer", buffers, model.namedBuffers(), problems);
        optimizer.restoreState(optimizerArrays, optimizerCounters, problems);
        if (!problems.isEmpty()) {
            throw new CheckpointException("the checkpoint does not fit this model and optimizer:\n  " + String.join("\n  ", problems));
        }
        optimizer.setStepCount(step);
        optimizer.setLrScale(lrScale);
        rng.restore(rngState);
    }

    private static void restoreInto(String kind, Map<String, float[]> saved, Map<String, Tensor> target, List<String> problems) {
        Map<String, float[]> arrays = new LinkedHashMap<>();
        for (var e : target.entrySet()) arrays.put(e.getKey(), e.getValue().storage());
        restoreArrays(kind, saved, arrays, problems);
    }

    private static void restoreArrays(String kind, Map<String, float[]> saved, Map<String, float[]> target, List<String> problems) {
        for (var e : target.entrySet()) {
            float[] src = saved.get(e.getKey());
            if (src == null) problems.add("missing " + kind + " '" + e.getKey() + "'");
            else if (src.length != e.getValue().length) {
                problems.add(kind + " '" + e.getKey() + "' has " + src.length + " values in the checkpoint, " + e.getValue().length + " in the model");
            } else {
                System.arraycopy(src, 0, e.getValue(), 0, src.length);
            }
        }
        for (String k : saved.keySet()) if (!target.containsKey(k)) problems.add("unexpected " + kind + " '" + k + "'");
    }
}
