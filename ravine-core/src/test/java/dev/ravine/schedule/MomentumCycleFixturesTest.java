package dev.ravine.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ravine.optim.Optimizer;
import dev.ravine.optim.OptimizerAssembly;
import dev.ravine.testing.Json;
import dev.ravine.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * OneCycleLR and CyclicLR with cycle_momentum against torch 1.13 (tools/gen_schedule_fixtures.py, momentum_cycle.json):
 * the momentum (SGD/RMSprop momentum, the Adam family's beta1) and lr at each of 60 steps, and the parameters of
 * SGD (plain and Nesterov, momentum 0 included: the schedule sets it), RMSprop, Adam, AdamW, Adamax, NAdam and RAdam
 * after every step on a fixed quadratic, built through the registry with the config's names.
 */
class MomentumCycleFixturesTest {
    @SuppressWarnings("unchecked")
    private static Map<String, Object> fixture() throws IOException {
        try (var in = MomentumCycleFixturesTest.class.getResourceAsStream("/fixtures/schedules/momentum_cycle.json")) {
            assertTrue(in != null, "missing fixture momentum_cycle.json; run tools/gen_schedule_fixtures.py");
            return (Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void momentumLrAndParametersFollowTorchEveryStep() throws IOException {
        Map<String, Object> root = fixture();
        double[] d = ScheduleFixturesTest.doubles(root.get("d")), x0 = ScheduleFixturesTest.doubles(root.get("x0"));
        List<Map<String, Object>> cases = (List<Map<String, Object>>) root.get("cases");
        assertTrue(cases.size() >= 10);
        double worstMomentum = 0, worstParam = 0;
        for (Map<String, Object> c : cases) {
            String name = (String) c.get("schedule"), optimizer = (String) c.get("optimizer");
            ScheduleSetting setting = ScheduleFixturesTest.setting(name, (Map<String, Object>) c.get("options"));
            Map<String, Object> options = (Map<String, Object>) c.get("optimizer_options");
            String label = name + " on " + optimizer + " " + options;
            double[] momentum = ScheduleFixturesTest.doubles(c.get("momentum")), lr = ScheduleFixturesTest.doubles(c.get("lr"));
            List<Object> xs = (List<Object>) c.get("x");

            LrSchedule schedule = setting.build((Double) options.get("lr"));
            assertTrue(schedule.cyclesMomentum(), label);
            for (int t = 0; t < momentum.length; t++) {
                worstMomentum = Math.max(worstMomentum, ScheduleFixturesTest.check(label + " momentum tick " + t, momentum[t], schedule.momentumAt(t)));
                ScheduleFixturesTest.check(label + " lr tick " + t, lr[t], schedule.lrAt(t));
            }

            Tensor x = Tensor.of(floats(x0), x0.length).requiresGrad(true);
            Optimizer opt = OptimizerAssembly.of(optimizer, options).withSchedule(setting::build).build(Map.of("x", x));
            for (int t = 0; t < xs.size(); t++) {
                float[] now = x.values(), g = new float[now.length];
                for (int i = 0; i < g.length; i++) g[i] = (float) d[i] * now[i];
                x.setGrad(Tensor.of(g, g.length));
                opt.step();
                double[] expected = ScheduleFixturesTest.doubles(xs.get(t));
                float[] got = x.values();
                for (int i = 0; i < expected.length; i++) {
                    double dev = Math.abs(expected[i] - got[i]);
                    if (dev > 1e-5 * Math.max(1, Math.abs(expected[i]))) fail(label + " step " + (t + 1) + " x[" + i + "]: torch " + expected[i] + ", Ravine " + got[i]);
                    worstParam = Math.max(worstParam, dev);
                }
            }
        }
        System.out.printf("cycle_momentum: %d cases, momentum max relative deviation %.3g, parameters max deviation %.3g after 60 steps%n",
                cases.size(), worstMomentum, worstParam);
    }

    @Test
    void momentumRunsAgainstTheLrAndOnlyWhenAskedFor() {
        ScheduleSetting plain = new ScheduleSetting("one_cycle", Map.of("max_lr", 0.1, "total_steps", 100L));
        assertTrue(!plain.build(0.1).cyclesMomentum());
        assertNull(plain.build(0.1).momentum(), "without cycle_momentum the optimizer's momentum is left alone");
        LrSchedule cycled = new ScheduleSetting("one_cycle", Map.of("max_lr", 0.1, "total_steps", 100L, "cycle_momentum", true)).build(0.1);
        assertEquals(0.95, cycled.momentumAt(0), 1e-15);
        assertEquals(0.85, cycled.momentumAt(29), 1e-15, "at the lr's peak the momentum is base_momentum");
        assertEquals(0.95, cycled.momentumAt(99), 1e-15);
        // as an optimizer's schedule per step: step s uses tick s - 1; per epoch every step of epoch e uses tick e
        assertEquals(cycled.momentumAt(29), cycled.momentum().momentum(30));
        assertEquals(cycled.momentumAt(2), new Stepped(cycled, Interval.EPOCH, 10).momentum().momentum(25));
    }

    @Test
    void badRangesAndUnsupportedOptimizersAreRefusedWithTheKey() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ScheduleSetting("cyclic",
                Map.of("max_lr", 0.1, "cycle_momentum", true, "base_momentum", 0.95, "max_momentum", 0.9)).build(0.01));
        assertTrue(e.getMessage().contains("base_momentum"), e.getMessage());
        ScheduleSetting cycled = new ScheduleSetting("one_cycle", Map.of("max_lr", 0.1, "total_steps", 10L, "cycle_momentum", true));
        Tensor x = Tensor.of(new float[] {1f}, 1).requiresGrad(true);
        for (String name : List.of("adagrad", "adadelta", "rprop", "momentum_ramp")) {
            var err = assertThrows(IllegalArgumentException.class,
                    () -> OptimizerAssembly.of(name, Map.of()).withSchedule(cycled::build).build(Map.of("x", x)), name);
            assertTrue(err.getMessage().startsWith("cycle_momentum: optimizer " + name), err.getMessage());
        }
        var seq = assertThrows(IllegalArgumentException.class, () -> new Sequential(List.of(cycled.build(0.1), new Exponential(0.1, 0.9)), new long[] {5}));
        assertTrue(seq.getMessage().contains("cycle_momentum"), seq.getMessage());
    }

    private static float[] floats(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) out[i] = (float) v[i];
        return out;
    }
}
