package dev.ravine.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.schedule.Interval;
import dev.ravine.schedule.LrSchedule;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** polynomial and cyclic from a config: their values, defaults and errors (key and line). */
class NewSchedulesConfigTest {
    @TempDir
    Path dir;

    private static String config(String schedule) {
        return "data: {train: 'blobs:classes=3'}\nmodel:\n  layers: [{linear: {out: 3}}]\noptimizer: {name: sgd, lr: 0.01}\nschedule: "
                + schedule + "\n";
    }

    @Test
    void cyclicAndPolynomialBuildFromTheConfig() throws IOException {
        ScheduleConfig c = ConfigFiles.read(dir, config("{name: cyclic, max_lr: 0.11, step_size_up: 4, mode: triangular2, interval: step}")).schedule();
        assertEquals(Interval.STEP, c.interval());
        LrSchedule s = c.setting().build(0.01);
        // up 4 ticks to 0.11, down 4 ticks (step_size_down defaults to step_size_up), then the second cycle at half height
        assertEquals(0.01, s.lrAt(0), 1e-12);
        assertEquals(0.11, s.lrAt(4), 1e-12);
        assertEquals(0.01, s.lrAt(8), 1e-12);
        assertEquals(0.06, s.lrAt(12), 1e-12);
        LrSchedule p = ConfigFiles.read(dir, config("{name: polynomial, total_iters: 10, power: 2}")).schedule().setting().build(0.01);
        assertEquals(0.01 * 0.25, p.lrAt(5), 1e-12);
        assertEquals(0, p.lrAt(12), 0);
    }

    @Test
    void badValuesNameTheKey() {
        assertTrue(ConfigFiles.error(dir, config("{name: cyclic, step_size_up: 4}")).startsWith("missing required key 'max_lr' in schedule"));
        String e = ConfigFiles.error(dir, config("{name: cyclic, max_lr: 0.1, mode: triangle}"));
        assertTrue(e.startsWith("schedule.mode: unknown mode 'triangle';"), e);
        assertTrue(e.contains("valid: triangular, triangular2, exp_range (config.yaml line 5)"), e);
    }
}
