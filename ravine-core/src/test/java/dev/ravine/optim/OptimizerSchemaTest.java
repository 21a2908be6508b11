package dev.ravine.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.schedule.Interval;
import dev.ravine.schedule.Step;
import dev.ravine.schedule.Stepped;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The optimizer schemas: one validation for every way of making an optimizer, and rprop under a schedule as torch. */
class OptimizerSchemaTest {
    private static Map<String, Tensor> one() {
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("w", Tensor.of(new float[] {0f}, 1).requiresGrad(true));
        return p;
    }

    /** torch raises "Invalid weight_decay value" for all nine torch optimizers that have it; so does every way in here. */
    @Test
    void negativeWeightDecayIsRefusedByEveryOptimizerThatHasIt() {
        List<String> withDecay = new ArrayList<>();
        for (OptimizerSchema s : Optimizers.SCHEMAS) {
            if (s.option("weight_decay") == null) continue;
            withDecay.add(s.name());
            OptionException e = assertThrows(OptionException.class, () -> Optimizers.byName(s.name(), Map.of("weight_decay", -0.1), one()), s.name());
            assertEquals("weight_decay", e.option());
            assertEquals(s.name() + " option 'weight_decay' must be a number >= 0, got -0.1", e.getMessage());
            assertThrows(OptionException.class, () -> Optimizers.transform(s.name(), Map.of("weight_decay", -0.1)), s.name());
        }
        assertEquals(List.of("sgd", "adam", "adamw", "adagrad", "adadelta", "rmsprop", "adamax", "nadam", "radam", "adaptive_gains", "momentum_ramp"),
                withDecay);
        // the positional Java API goes through the same schema
        assertThrows(OptionException.class, () -> Optimizers.sgd(one(), 0.1, 0.9, 0, false, -0.1));
        assertThrows(OptionException.class, () -> Optimizers.adam(one(), 0.1, 0.9, 0.999, 1e-8, -0.1, false));
        assertThrows(OptionException.class, () -> Optimizers.adamw(one(), 0.1, 0.9, 0.999, 1e-8, -0.1, false));
        assertThrows(OptionException.class, () -> Optimizers.adagrad(one(), 0.1, 0, -0.1, 0, 1e-10));
        assertThrows(OptionException.class, () -> Optimizers.adadelta(one(), 1, 0.9, 1e-6, -0.1));
        assertThrows(OptionException.class, () -> Optimizers.rmsprop(one(), 0.01, 0.99, 1e-8, -0.1, 0, false));
        assertThrows(OptionException.class, () -> Optimizers.adamax(one(), 0.002, 0.9, 0.999, 1e-8, -0.1));
        assertThrows(OptionException.class, () -> Optimizers.nadam(one(), 0.002, 0.9, 0.999, 1e-8, -0.1, 4e-3));
        assertThrows(OptionException.class, () -> Optimizers.radam(one(), 0.001, 0.9, 0.999, 1e-8, -0.1));
        // and parameter groups, whose overrides are options of the same optimizer
        OptimizerAssembly grouped = OptimizerAssembly.of("adam", Map.of());
        assertThrows(OptionException.class, () -> grouped.withGroups(List.of(new OptimizerAssembly.Group("bias", ParamGroups.BIAS, Map.of("weight_decay", -1.0)))));
    }

    @Test
    void defaultsAreTheSchemasAndSgdsLrIsDocumented() {
        OptimizerSchema sgd = Optimizers.schema("sgd");
        assertEquals(0.001, sgd.validate(Map.of()).lr(), "torch's SGD requires lr; Ravine's default is Adam's 0.001");
        Optimizer opt = Optimizers.byName("sgd", Map.of(), one());
        assertEquals(0.001, opt.learningRate());
        assertEquals(Map.of("lr", 0.001, "momentum", 0.0, "dampening", 0.0, "nesterov", false, "weight_decay", 0.0), sgd.defaults());
        assertThrows(OptionException.class, () -> sgd.validate(Map.of("nesterov", true)), "Nesterov needs momentum");
        var unknown = assertThrows(IllegalArgumentException.class, () -> sgd.validate(Map.of("betas", List.of(0.9, 0.99))));
        assertTrue(unknown.getMessage().contains("valid: lr, momentum, dampening, nesterov, weight_decay"), unknown.getMessage());
    }

    /**
     * torch.optim.Rprop reads lr once, as the initial step size; a scheduler changes nothing later (issue 14: constant
     * gradient 1, StepLR(1, 0.5): torch -0.01, -0.012, -0.0144; Ravine used to scale every step: -0.01, -0.006, -0.0036).
     */
    @Test
    void rpropUnderAScheduleFollowsTorch() {
        Map<String, Tensor> p = one();
        Optimizer rprop = OptimizerAssembly.of("rprop", Map.of("lr", 0.01)).withSchedule(lr -> new Stepped(new Step(lr, 1, 0.5), Interval.STEP, 1)).build(p);
        float[] updates = new float[3];
        for (int i = 0; i < 3; i++) {
            p.get("w").setGrad(Tensor.of(new float[] {1f}, 1));
            rprop.step();
            updates[i] = rprop.lastUpdates().get("w")[0];
        }
        assertArrayEquals(new float[] {-0.01f, -0.012f, -0.0144f}, updates, 1e-9f);
    }

    @Test
    void aClosureMethodTakesNoChainParts() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> OptimizerAssembly.of("lbfgs", Map.of()).withSchedule(lr -> Schedule.constant(lr)));
        assertTrue(e.getMessage().contains("no clipping, parameter groups or schedule"), e.getMessage());
        assertTrue(OptimizerAssembly.of("lbfgs", Map.of()).build(one()).needsClosure());
    }
}
