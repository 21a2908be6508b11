package dev.ravine.app.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.app.config.ConfigException;
import dev.ravine.app.config.ConfigReader;
import dev.ravine.app.config.RunConfig;
import dev.ravine.nn.Conv2d;
import dev.ravine.nn.Linear;
import dev.ravine.nn.Module;
import dev.ravine.nn.WeightForm;
import dev.ravine.nn.loss.CrossEntropyLoss;
import dev.ravine.optim.Optimizer;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The normalization family in configs: instancenorm and batchrenorm layers and the weight_norm / spectral_norm options
 * of linear and conv2d build the intended modules and train (one SGD step changes every parameter), and bad options
 * are reported with their key path and line.
 */
class NormLayersConfigTest {
    @TempDir
    Path dir;

    private RunConfig read(String layers) throws IOException {
        Path file = dir.resolve("m.yaml");
        Files.writeString(file, "data: {train: idx:x}\nmodel:\n  layers:\n" + layers + "optimizer: sgd\n");
        return ConfigReader.read(file, List.of(), dir);
    }

    private BuiltModel build(String layers, int... input) throws IOException {
        return ModelBuilder.build(read(layers).model().layers(), input.length == 0 ? new int[] {1, 6, 6} : input, new Rng(1));
    }

    /**
     * One SGD step on random data; every parameter must move and the loss be finite. (A bias right before a
     * normalization gets no gradient, since the normalization subtracts it again, so the models here have none.)
     */
    private static void trainOneStep(Module net, int... inputShape) {
        Map<String, Tensor> params = net.namedParameters();
        Map<String, float[]> before = new java.util.LinkedHashMap<>();
        params.forEach((k, v) -> before.put(k, v.toArray()));
        Optimizer sgd = Optimizers.sgd(params, 0.1);
        Rng rng = new Rng(2);
        int[] shape = new int[inputShape.length + 1];
        shape[0] = 8;
        System.arraycopy(inputShape, 0, shape, 1, inputShape.length);
        Tensor x = Tensor.normal(rng, 0f, 1f, shape);
        Tensor target = Tensor.of(new float[] {0, 1, 2, 0, 1, 2, 0, 1}, 8);
        Tensor loss = new CrossEntropyLoss().compute(net.call(x), target);
        assertTrue(Float.isFinite(loss.item()), "loss " + loss.item());
        loss.backward();
        sgd.step();
        for (var e : params.entrySet()) {
            assertFalse(Arrays.equals(before.get(e.getKey()), e.getValue().toArray()), e.getKey() + " did not change in one step");
        }
    }

    @Test
    void eachNormalizationBuildsAndTrainsOneStep() throws IOException {
        BuiltModel m = build("""
                    - conv2d: {out: 4, kernel: 3, padding: 1, bias: false, spectral_norm: true}
                    - instancenorm: {affine: true, track_running_stats: true}
                    - relu
                    - conv2d: {out: 4, kernel: 3, bias: false, weight_norm: true}
                    - batchrenorm: {r_max: 2, d_max: 1, warmup_steps: 0, r_max_steps: 0, d_max_steps: 0}
                    - flatten
                    - linear: {out: 8, bias: false, weight_norm: true}
                    - batchrenorm: {momentum: 0.1}
                    - linear: {out: 3, spectral_norm: true}
                """);
        assertEquals(List.of("conv2d", "instancenorm2d", "relu", "conv2d", "batchrenorm2d", "flatten", "linear",
                "batchrenorm1d", "linear"), m.summary().stream().map(LayerSummary::kind).toList());
        Module net = m.network();
        assertEquals(WeightForm.SPECTRAL_NORM, ((Conv2d) net.children().get("0")).weightForm());
        assertEquals(WeightForm.WEIGHT_NORM, ((Conv2d) net.children().get("3")).weightForm());
        assertEquals(WeightForm.WEIGHT_NORM, ((Linear) net.children().get("6")).weightForm());
        assertEquals(WeightForm.SPECTRAL_NORM, ((Linear) net.children().get("8")).weightForm());
        assertTrue(net.namedParameters().keySet().containsAll(List.of("0.weight_orig", "3.weight_g", "3.weight_v", "8.weight_orig")));
        assertTrue(net.namedBuffers().keySet().containsAll(List.of("0.weight_u", "0.weight_v", "1.running_mean", "1.running_var",
                "4.running_std", "7.running_mean", "7.num_batches_tracked")), net.namedBuffers().keySet().toString());
        trainOneStep(net, 1, 6, 6);
        assertEquals(1f, net.namedBuffers().get("4.num_batches_tracked").item());

        BuiltModel sequence = build("""
                    - instancenorm
                    - flatten
                    - linear: {out: 3}
                """, 3, 10);
        assertEquals("instancenorm1d", sequence.summary().getFirst().kind());
        trainOneStep(sequence.network(), 3, 10);
    }

    @Test
    void instanceNormNeedsChannelsAndPositions() throws IOException {
        RunConfig c = read("    - flatten\n    - instancenorm\n");
        var e = assertThrows(ConfigException.class, () -> ModelBuilder.build(c.model().layers(), new int[] {1, 6, 6}, new Rng(1)));
        assertTrue(e.getMessage().contains("model.layers[1] (instancenorm)") && e.getMessage().contains("[channels, length]")
                && e.getMessage().contains("line 5"), e.getMessage());
    }

    @Test
    void badOptionsNameTheLayerTheKeyAndTheLine() throws IOException {
        var both = assertThrows(ConfigException.class, () -> build("    - flatten\n    - linear: {out: 3, weight_norm: true, spectral_norm: true}\n"));
        assertTrue(both.getMessage().contains("model.layers[1] (linear)") && both.getMessage().contains("weight_norm and spectral_norm")
                && both.getMessage().contains("line 5"), both.getMessage());
        var rMax = assertThrows(ConfigException.class, () -> read("    - batchrenorm: {r_max: 0.5}\n"));
        assertTrue(rMax.getMessage().contains("r_max") && rMax.getMessage().contains(">= 1") && rMax.getMessage().contains("line 4"),
                rMax.getMessage());
        var steps = assertThrows(ConfigException.class, () -> build("    - batchrenorm: {warmup_steps: 100, r_max_steps: 10}\n"));
        assertTrue(steps.getMessage().contains("model.layers[0] (batchrenorm)") && steps.getMessage().contains("ramp steps"),
                steps.getMessage());
        var unknown = assertThrows(ConfigException.class, () -> read("    - instancenorm: {afine: true}\n"));
        assertTrue(unknown.getMessage().contains("afine") && unknown.getMessage().contains("affine"), unknown.getMessage());
    }
}
