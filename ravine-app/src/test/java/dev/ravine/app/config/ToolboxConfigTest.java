package dev.ravine.app.config;

import dev.ravine.app.build.LossBuilder;
import dev.ravine.app.build.RunOptimizer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.app.build.RunAssembly;
import dev.ravine.nn.loss.MseLoss;
import dev.ravine.optim.Chain;
import dev.ravine.optim.ClipByGlobalNorm;
import dev.ravine.optim.Optimizer;
import dev.ravine.tensor.Tensor;
import dev.ravine.train.RegularizedLoss;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** clip, regularization, param_groups and training.early_stopping: reading, building, writing back, and errors. */
class ToolboxConfigTest {
    @TempDir
    Path dir;

    private static final String BASE = """
            data: {train: idx:data/train}
            model: {input: [4], layers: [{linear: {out: 2}}]}
            optimizer: {name: sgd, lr: 0.1, weight_decay: 0.5}
            """;

    private RunConfig read(String yaml) throws IOException {
        return ConfigFiles.read(dir, yaml);
    }

    private String error(String yaml) {
        return ConfigFiles.error(dir, yaml);
    }

    private void roundTrips(RunConfig c) throws IOException {
        RunConfig again = ConfigFiles.rewritten(dir, c);
        assertEquals(c.toolbox(), again.toolbox());
        assertEquals(c.training().earlyStopping(), again.training().earlyStopping());
    }

    private static Map<String, Tensor> params() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("0.weight", Tensor.of(new float[] {1f, 2f, 3f, 4f}, 2, 2).requiresGrad(true));
        m.put("0.bias", Tensor.of(new float[] {1f, 1f}, 2).requiresGrad(true));
        return m;
    }

    @Test
    void absentSectionsMeanNothing() throws IOException {
        RunConfig c = read(BASE);
        assertEquals(ToolboxConfig.NONE, c.toolbox());
        assertNull(c.training().earlyStopping());
        assertTrue(c.toolbox().isEmpty());
    }

    @Test
    void clipSections() throws IOException {
        RunConfig c = read(BASE + "clip: {global_norm: 1.5, p: inf}\n");
        assertEquals("global_norm", c.toolbox().clipKind());
        assertEquals(Double.POSITIVE_INFINITY, c.toolbox().clipP());
        Optimizer o = RunOptimizer.optimizer(c.optimizer(), c.toolbox(), params());
        assertTrue(((Chain) o.transform()).links().getFirst() instanceof ClipByGlobalNorm, o.describe());
        roundTrips(c);
        assertEquals(2.0, read(BASE + "clip: {global_norm: 1}\n").toolbox().clipP());
        roundTrips(read(BASE + "clip: {value: 0.5}\n"));
        roundTrips(read(BASE + "clip: {layer_norm: 2}\n"));
        String e = error(BASE + "clip: {globl_norm: 1}\n");
        assertTrue(e.contains("unknown key 'globl_norm'") && e.contains("global_norm"), e);
        assertTrue(error(BASE + "clip: {value: 1, layer_norm: 2}\n").contains("exactly one of"));
        assertTrue(error(BASE + "clip: {value: 1, p: 2}\n").contains("global_norm only"));
    }

    /** torch's error_if_nonfinite, on global_norm only; it reaches the clipping link and survives a write-back. */
    @Test
    void clipErrorIfNonfinite() throws IOException {
        RunConfig c = read(BASE + "clip: {global_norm: 1.5, error_if_nonfinite: true}\n");
        assertTrue(c.toolbox().clipErrorIfNonfinite());
        Optimizer o = RunOptimizer.optimizer(c.optimizer(), c.toolbox(), params());
        assertTrue(((Chain) o.transform()).links().getFirst() instanceof ClipByGlobalNorm clip && clip.errorIfNonfinite(), o.describe());
        roundTrips(c);
        assertFalse(read(BASE + "clip: {global_norm: 1.5}\n").toolbox().clipErrorIfNonfinite());
        assertTrue(error(BASE + "clip: {value: 1, error_if_nonfinite: true}\n").contains("global_norm only"));
    }

    @Test
    void regularizationSection() throws IOException {
        RunConfig c = read(BASE + "regularization: {l1: 0.001, l1_proximal: 0.01, l2: 0.0001, max_norm: 3}\n");
        ToolboxConfig t = c.toolbox();
        assertEquals(0.001, t.l1());
        assertEquals(0.01, t.l1Proximal());
        assertEquals(3.0, t.maxNorm());
        Optimizer o = RunOptimizer.optimizer(c.optimizer(), t, params());
        assertEquals(2, o.constraints().size(), o.describe());
        assertTrue(LossBuilder.regularized(t, new MseLoss(), params()) instanceof RegularizedLoss);
        roundTrips(c);
        String e = error(BASE + "regularization: {l2: 0.1, maxnorm: 3}\n");
        assertTrue(e.contains("unknown key 'maxnorm'") && e.contains("max_norm"), e);
        assertTrue(error(BASE + "regularization: {l1: -1}\n").contains(">= 0"));
    }

    @Test
    void paramGroupsTakeTheirOwnLrAndWeightDecay() throws IOException {
        RunConfig c = read(BASE + """
                param_groups:
                  - {match: bias, weight_decay: 0}
                  - {match: 'weight$', lr: 0.01}
                """);
        assertEquals(List.of(new ToolboxConfig.Group("bias", null, 0.0), new ToolboxConfig.Group("weight$", 0.01, null)), c.toolbox().groups());
        Map<String, Tensor> p = params();
        Optimizer o = RunOptimizer.optimizer(c.optimizer(), c.toolbox(), p);
        p.get("0.weight").setGrad(Tensor.of(new float[] {1f, 1f, 1f, 1f}, 2, 2));
        p.get("0.bias").setGrad(Tensor.of(new float[] {1f, 1f}, 2));
        o.step();
        // bias: lr 0.1, no decay: 1 - 0.1 * 1; weight: lr 0.01, decay 0.5: w - 0.01 * (1 + 0.5 w)
        assertArrayEquals(new float[] {0.9f, 0.9f}, p.get("0.bias").values(), 1e-6f);
        assertArrayEquals(new float[] {1 - 0.01f * 1.5f, 2 - 0.01f * 2f, 3 - 0.01f * 2.5f, 4 - 0.01f * 3f}, p.get("0.weight").values(), 1e-6f);
        roundTrips(c);
        String e = error(BASE + "param_groups: [{match: bias, weight_deacy: 0}]\n");
        assertTrue(e.contains("unknown key 'weight_deacy'") && e.contains("weight_decay"), e);
        assertTrue(error(BASE + "param_groups: [{lr: 0.1}]\n").contains("match"));
        assertTrue(error(BASE + "param_groups: [{match: '(unclosed'}]\n").contains("regular expression"));
    }

    @Test
    void earlyStoppingInTraining() throws IOException {
        RunConfig c = read(BASE + "training: {epochs: 5, early_stopping: {monitor: val_accuracy, patience: 2, min_delta: 0.01}}\n");
        EarlyStoppingConfig es = c.training().earlyStopping();
        assertEquals(new EarlyStoppingConfig("val_accuracy", "max", 2, 0.01, true), es);
        assertEquals("val_accuracy", RunAssembly.earlyStopping(es).monitor());
        roundTrips(c);
        assertEquals("min", read(BASE + "training: {early_stopping: {}}\n").training().earlyStopping().mode());
        String e = error(BASE + "training: {early_stopping: {monitor: val_los}}\n");
        assertTrue(e.contains("unknown metric 'val_los'") && e.contains("val_loss"), e);
        e = error(BASE + "training: {early_stopping: {patiense: 2}}\n");
        assertTrue(e.contains("unknown key 'patiense'") && e.contains("patience"), e);
    }
}
