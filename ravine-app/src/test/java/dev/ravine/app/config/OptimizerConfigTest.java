package dev.ravine.app.config;

import dev.ravine.app.build.RunOptimizer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.optim.Optimizer;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optimizer section for the registry optimizers (beyond sgd and adam): reading, writing back, and errors. */
class OptimizerConfigTest {
    @TempDir
    Path dir;

    private static final String BASE = """
            data:
              train: idx:path/to/train
            model:
              input: [4]
              layers:
                - linear: {out: 3}
            loss: cross_entropy
            OPTIMIZER
            training: {epochs: 1, batch_size: 8}
            """;

    private RunConfig read(String optimizerLine) throws IOException {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, BASE.replace("OPTIMIZER", optimizerLine));
        return ConfigReader.read(file, List.of(), dir);
    }

    @Test
    void everyRegisteredOptimizerIsAValidName() {
        assertEquals(Optimizers.names(), OptimizerConfig.NAMES);
    }

    @Test
    void rpropPairsAndRmspropFlagsReadAndWriteBack() throws IOException {
        RunConfig c = read("optimizer: {name: rprop, lr: 0.02, etas: [0.4, 1.3], step_sizes: [1.0e-5, 10]}");
        assertEquals("rprop", c.optimizer().name());
        assertEquals(List.of(0.4, 1.3), c.optimizer().options().get("etas"));
        String written = ConfigWriter.write(c, List.of());
        assertTrue(written.contains("optimizer: {name: rprop, lr: 0.02, etas: [0.4, 1.3], step_sizes: [1.0e-5, 10.0]}"), written);
        RunConfig again = read(written.lines().filter(l -> l.startsWith("optimizer:")).findFirst().orElseThrow());
        assertEquals(c.optimizer().options(), again.optimizer().options());

        RunConfig r = read("optimizer: {name: rmsprop, centered: true, momentum: 0.9}");
        assertEquals(true, r.optimizer().options().get("centered"));
        assertEquals(0.01, r.optimizer().lr());
        Optimizer opt = RunOptimizer.optimizer(r.optimizer(), Map.of("w", Tensor.zeros(2).requiresGrad(true)));
        assertTrue(opt.describe().contains("centered_rms") && opt.describe().contains("momentum(0.9)"), opt.describe());
    }

    @Test
    void shorthandTakesTorchDefaults() throws IOException {
        RunConfig c = read("optimizer: adamw");
        assertEquals(0.01, c.optimizer().options().get("weight_decay"));
        assertEquals(1e-3, c.optimizer().lr());
        RunConfig ramp = read("optimizer: {name: momentum_ramp, ramp_steps: 20}");
        assertEquals(20, ramp.optimizer().options().get("ramp_steps"));
    }

    @Test
    void unknownOptionsListTheValidOnes() {
        ConfigException e = assertThrows(ConfigException.class, () -> read("optimizer: {name: adagrad, momentum: 0.9}"));
        assertTrue(e.getMessage().contains("momentum") && e.getMessage().contains("initial_accumulator_value"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> read("optimizer: {name: rprop, etas: [1.5, 1.2]}"));
        assertTrue(e.getMessage().contains("eta_minus"), e.getMessage());
    }

    @Test
    void lbfgsReadsTorchOptionsAndRejectsWhatCannotApplyToIt() throws IOException {
        RunConfig c = read("optimizer: {name: lbfgs, history_size: 10, line_search_fn: strong_wolfe}");
        assertEquals("strong_wolfe", c.optimizer().options().get("line_search_fn"));
        assertEquals(10, c.optimizer().options().get("history_size"));
        assertEquals(1.0, c.optimizer().lr());
        Optimizer opt = RunOptimizer.optimizer(c.optimizer(), Map.of("w", Tensor.zeros(2).requiresGrad(true)));
        assertTrue(opt.needsClosure() && opt.describe().contains("history_size=10") && opt.describe().contains("strong_wolfe"), opt.describe());
        RunConfig again = read(ConfigWriter.write(c, List.of()).lines().filter(l -> l.startsWith("optimizer:")).findFirst().orElseThrow());
        assertEquals(c.optimizer().options(), again.optimizer().options());

        ConfigException e = assertThrows(ConfigException.class, () -> read("optimizer: {name: lbfgs, line_search_fn: backtracking}"));
        assertTrue(e.getMessage().contains("optimizer.line_search_fn:") && e.getMessage().contains("none or strong_wolfe"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> read("optimizer: {name: lbfgs}\nschedule: {name: exponential, gamma: 0.9}\nclip: {value: 1}"));
        assertTrue(e.getMessage().contains("remove the schedule") && e.getMessage().contains("remove clip"), e.getMessage());
    }
}
