package dev.ravine.app.config;

import dev.ravine.app.build.RunOptimizer;
import dev.ravine.app.build.ScheduledOptimizer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.schedule.Interval;
import dev.ravine.optim.ScaleByLearningRate;
import dev.ravine.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScheduleConfigTest {
    @TempDir
    Path dir;

    private static final String BASE = """
            data: {train: idx:data/train}
            model: {input: [4], layers: [{linear: {out: 2}}]}
            optimizer: {name: sgd, lr: 0.1}
            """;

    private RunConfig read(String yaml) throws IOException {
        return ConfigFiles.read(dir, yaml);
    }

    @Test
    void readsWiresAndWritesASchedule() throws IOException {
        RunConfig c = read(BASE + "schedule: {name: cosine, t_max: 10, eta_min: 0, interval: step}\n");
        assertEquals("cosine", c.schedule().setting().name());
        assertEquals(10L, c.schedule().setting().integer("t_max"));
        assertEquals(Interval.STEP, c.schedule().interval());
        assertNull(read(BASE).schedule());

        Map<String, Tensor> params = Map.of("w", Tensor.zeros(2).requiresGrad(true));
        ScheduledOptimizer s = RunOptimizer.scheduled(c.optimizer(), c.schedule(), params, 5);
        assertNull(s.listener());
        assertTrue(s.optimizer().describe().contains("cosine"), s.optimizer().describe());
        var link = (dev.ravine.optim.ScaleByLearningRate) ((dev.ravine.optim.Chain) s.optimizer().transform()).links().getLast();
        assertEquals(0.1, link.schedule().learningRate(1), 1e-15);
        assertEquals(0.05, link.schedule().learningRate(6), 1e-15);

        String written = ConfigWriter.write(c, List.of());
        assertTrue(written.contains("schedule: {name: cosine, t_max: 10, eta_min: 0.0, interval: step}"), written);
        ConfigFiles.rewritten(dir, c);
    }

    @Test
    void sequentialAndPlateauRoundTrip() throws IOException {
        RunConfig c = read(BASE + """
                schedule:
                  name: sequential
                  schedules: [{name: linear, start_factor: 0.1, total_iters: 3}, {name: cosine, t_max: 7}]
                  milestones: [3]
                """);
        assertEquals(Interval.EPOCH, c.schedule().interval());
        String written = ConfigWriter.write(c, List.of());
        Files.writeString(dir.resolve("again.yaml"), written);
        assertEquals(written, ConfigWriter.write(ConfigReader.read(dir.resolve("again.yaml"), List.of(), dir), List.of()));

        RunConfig p = read(BASE + "schedule: {name: reduce_on_plateau, mode: max, patience: 2, monitor: val_accuracy}\n");
        ScheduledOptimizer s = RunOptimizer.scheduled(p.optimizer(), p.schedule(), Map.of("w", Tensor.zeros(2).requiresGrad(true)), 5);
        assertNotNull(s.listener());
        assertTrue(s.optimizer().state().counters().keySet().stream().anyMatch(k -> k.endsWith("schedule.plateau")));
    }

    @Test
    void misspelledOptionsAndNamesFailWithTheValidList() {
        ConfigException e = assertThrows(ConfigException.class, () -> read(BASE + "schedule: {name: cosine, tmax: 10}\n"));
        assertTrue(e.getMessage().contains("unknown key 'tmax'"), e.getMessage());
        assertTrue(e.getMessage().contains("t_max, eta_min"), e.getMessage());
        assertTrue(e.getMessage().contains("missing required key 't_max'"), e.getMessage());

        e = assertThrows(ConfigException.class, () -> read(BASE + "schedule: {name: cosin, t_max: 10}\n"));
        assertTrue(e.getMessage().contains("unknown schedule 'cosin'") && e.getMessage().contains("cosine_warm_restarts"), e.getMessage());

        e = assertThrows(ConfigException.class, () -> read(BASE + "schedule: {name: step, step_size: 0, interval: batch}\n"));
        assertTrue(e.getMessage().contains("step_size must be >= 1"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown interval 'batch'"), e.getMessage());
    }
}
