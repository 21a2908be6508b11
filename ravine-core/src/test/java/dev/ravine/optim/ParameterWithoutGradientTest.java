package dev.ravine.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ravine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** torch.optim semantics: a parameter whose grad is None is skipped, and its own state starts when it first gets one. */
class ParameterWithoutGradientTest {
    private static Map<String, Tensor> params() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("a", Tensor.of(new float[] {1f, 2f}, 2).requiresGrad(true));
        m.put("b", Tensor.of(new float[] {3f}, 1).requiresGrad(true));
        return m;
    }

    @Test
    void adamSkipsAParameterWithoutGradientAndCountsStepsPerParameter() {
        Map<String, Tensor> p = params();
        Optimizer adam = Optimizers.adam(p, 0.1, 0.9, 0.999, 1e-8, 0.01, false);
        for (int step = 0; step < 3; step++) {
            p.get("a").setGrad(Tensor.of(new float[] {0.5f, -0.5f}, 2));
            p.get("b").setGrad(null);
            adam.step();
        }
        assertArrayEquals(new float[] {3f}, p.get("b").values(), "b had no gradient: it must not move, even with weight decay");
        // b's first step with a gradient is Adam's step 1 for b: |update| = lr * |m_hat / sqrt(v_hat)| = lr (weight decay included in g).
        p.get("a").setGrad(null);
        p.get("b").setGrad(Tensor.of(new float[] {2f}, 1));
        adam.step();
        assertEquals(3f - 0.1f, p.get("b").values()[0], 1e-6);
    }

    @Test
    void sgdMomentumBufferStartsAtAParametersFirstGradient() {
        Map<String, Tensor> p = params();
        Optimizer sgd = Optimizers.sgd(p, 0.1, 0.9, 0, false, 0);
        p.get("a").setGrad(Tensor.of(new float[] {1f, 1f}, 2));
        sgd.step();
        p.get("a").setGrad(null);
        p.get("b").setGrad(Tensor.of(new float[] {1f}, 1));
        sgd.step();
        // b's buffer is initialized to its gradient (1), so the step is exactly lr * 1.
        assertEquals(3f - 0.1f, p.get("b").values()[0], 1e-7);
        assertArrayEquals(new float[] {0.9f, 1.9f}, p.get("a").values(), 1e-7f);
    }
}
