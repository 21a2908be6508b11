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

    @Test
    void cycleMomentumReadsAndIsRefusedWhereTorchRefusesIt() throws IOException {
        LrSchedule s = ConfigFiles.read(dir, config("{name: one_cycle, max_lr: 0.1, total_steps: 10, cycle_momentum: true, base_momentum: 0.8, "
                + "max_momentum: 0.9}")).schedule().setting().build(0.01);
        assertTrue(s.cyclesMomentum());
        assertEquals(0.9, s.momentumAt(0), 1e-15);
        assertEquals(0.8, s.momentumAt(2), 1e-15, "the lr's peak, tick pct_start * total_steps - 1");
        String adagrad = ConfigFiles.error(dir, config("{name: cyclic, max_lr: 0.1, cycle_momentum: true}").replace("name: sgd", "name: adagrad"));
        assertTrue(adagrad.startsWith("schedule.cycle_momentum: optimizer adagrad has no momentum or betas for the schedule to cycle"), adagrad);
        assertTrue(adagrad.contains("set cycle_momentum: false") && adagrad.contains("line 5"), adagrad);
        String ignored = ConfigFiles.error(dir, config("{name: one_cycle, max_lr: 0.1, total_steps: 10, base_momentum: 0.8}"));
        assertTrue(ignored.startsWith("schedule.base_momentum: applies only with cycle_momentum: true"), ignored);
        String range = ConfigFiles.error(dir, config("{name: one_cycle, max_lr: 0.1, total_steps: 10, cycle_momentum: true, max_momentum: 1.0}"));
        assertTrue(range.contains("0 <= base_momentum <= max_momentum < 1"), range);
    }
}
