package dev.ravine.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Gradient clipping links against hand-computed values (gradients a = [3, -4], b = [12]). */
class ClippingTest {
    private static float[][] grads() {
        return new float[][] {{3f, -4f}, {12f}};
    }

    private static float[][] apply(GradientTransform t, float[][] g) {
        TransformState s = t.init(List.of(new float[2], new float[1]));
        t.update(g, s, new float[][] {new float[2], new float[1]}, new StepContext(1, 1, null));
        return g;
    }

    @Test
    void byValueClampsEachElement() {
        float[][] g = apply(new ClipByValue(3.5), grads());
        assertArrayEquals(new float[] {3f, -3.5f}, g[0]);
        assertArrayEquals(new float[] {3.5f}, g[1]);
    }

    @Test
    void byGlobalL2NormScalesAllTogetherAndExposesTheNorm() {
        ClipByGlobalNorm clip = new ClipByGlobalNorm(6.5, 2);
        TransformState s = clip.init(List.of(new float[2], new float[1]));
        float[][] g = grads();
        clip.update(g, s, null, new StepContext(1, 1, null));
        double scale = 6.5 / (13 + 1e-6); // total = sqrt(9 + 16 + 144) = 13
        assertArrayEquals(new float[] {(float) (3 * scale), (float) (-4 * scale)}, g[0], 1e-6f);
        assertArrayEquals(new float[] {(float) (12 * scale)}, g[1], 1e-6f);
        assertEquals(13.0, ClipByGlobalNorm.lastNorm(s), 1e-6);
        assertEquals(1, ClipByGlobalNorm.clippedSteps(s));
        assertEquals(1, s.counters().get("clipped")[0]);
    }

    /** torch's error_if_nonfinite: the norm is refused before any gradient changes, with a message that names the fix. */
    @Test
    void byGlobalNormWithErrorIfNonfiniteRefusesANaNOrInfiniteNormAndLeavesTheGradients() {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
            ClipByGlobalNorm clip = new ClipByGlobalNorm(6.5, 2, true);
            TransformState s = clip.init(List.of(new float[2], new float[1]));
            float[][] g = {{3f, bad}, {12f}};
            NonFiniteGradientsException e = assertThrows(NonFiniteGradientsException.class,
                    () -> clip.update(g, s, null, new StepContext(1, 1, null)));
            assertEquals(bad, e.totalNorm(), 0);
            assertTrue(e.getMessage().contains("error_if_nonfinite: false") && e.getMessage().contains("order 2.0"), e.getMessage());
            assertArrayEquals(new float[] {3f, bad}, g[0]);
            assertArrayEquals(new float[] {12f}, g[1]);
        }
        // finite gradients clip as without the option
        float[][] g = apply(new ClipByGlobalNorm(6.5, 2, true), grads());
        assertArrayEquals(apply(new ClipByGlobalNorm(6.5, 2), grads())[0], g[0], 0f);
        assertTrue(new ClipByGlobalNorm(1, 2, true).describe().contains("error_if_nonfinite"));
    }

    @Test
    void byGlobalInfNormUsesTheLargestMagnitude() {
        ClipByGlobalNorm clip = new ClipByGlobalNorm(6, Double.POSITIVE_INFINITY);
        TransformState s = clip.init(List.of(new float[2], new float[1]));
        float[][] g = grads();
        clip.update(g, s, null, new StepContext(1, 1, null));
        double scale = 6 / (12 + 1e-6);
        assertArrayEquals(new float[] {(float) (3 * scale), (float) (-4 * scale)}, g[0], 1e-6f);
        assertArrayEquals(new float[] {(float) (12 * scale)}, g[1], 1e-6f);
        assertEquals(12.0, ClipByGlobalNorm.lastNorm(s), 0);
    }

    @Test
    void byGlobalNormLeavesSmallGradientsAloneAndSkipsInactiveParameters() {
        float[][] g = apply(new ClipByGlobalNorm(20, 2), grads());
        assertArrayEquals(grads()[0], g[0]);
        assertArrayEquals(grads()[1], g[1]);
        // b inactive: the norm is ||a|| = 5 and b is untouched.
        ClipByGlobalNorm clip = new ClipByGlobalNorm(2.5, 2);
        TransformState s = clip.init(List.of(new float[2], new float[1]));
        float[][] h = grads();
        clip.update(h, s, null, new StepContext(1, 1, new boolean[] {true, false}));
        assertEquals(5.0, ClipByGlobalNorm.lastNorm(s), 1e-9);
        assertArrayEquals(new float[] {12f}, h[1]);
        assertEquals(2.5, Math.hypot(h[0][0], h[0][1]), 1e-5);
    }

    @Test
    void byGlobalNormWithP1() {
        float[][] g = apply(new ClipByGlobalNorm(9.5, 1), grads()); // total = 3 + 4 + 12 = 19
        assertArrayEquals(new float[] {(float) (3 * 9.5 / (19 + 1e-6)), (float) (-4 * 9.5 / (19 + 1e-6))}, g[0], 1e-6f);
    }

    @Test
    void perLayerNormClipsEachParameterOnItsOwn() {
        float[][] g = apply(new ClipByLayerNorm(2.5), grads());
        double sa = 2.5 / (5 + 1e-6), sb = 2.5 / (12 + 1e-6);
        assertArrayEquals(new float[] {(float) (3 * sa), (float) (-4 * sa)}, g[0], 1e-6f);
        assertArrayEquals(new float[] {(float) (12 * sb)}, g[1], 1e-6f);
        float[][] h = apply(new ClipByLayerNorm(6), grads());
        assertArrayEquals(grads()[0], h[0]); // ||a|| = 5 < 6: unchanged
        assertEquals(6.0, h[1][0], 1e-5);
    }

    @Test
    void clippingGoesFirstInAnSgdChain() {
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("a", Tensor.of(new float[] {1f, 1f}, 2).requiresGrad(true));
        p.put("b", Tensor.of(new float[] {1f}, 1).requiresGrad(true));
        Optimizer opt = Optimizer.of(p, Chain.of(new ClipByGlobalNorm(1.3), new ScaleByLearningRate(Schedule.constant(0.5))));
        p.get("a").setGrad(Tensor.of(new float[] {3f, -4f}, 2));
        p.get("b").setGrad(Tensor.of(new float[] {12f}, 1));
        opt.step();
        double scale = 1.3 / (13 + 1e-6);
        assertArrayEquals(new float[] {(float) (1 - 0.5 * 3 * scale), (float) (1 + 0.5 * 4 * scale)}, p.get("a").values(), 1e-6f);
        assertEquals(13.0, ClipByGlobalNorm.lastNorm(opt), 1e-5);
        assertEquals(13.0, Double.longBitsToDouble(opt.state().counters().get("0.last_norm_bits")[0]), 1e-5);
        assertTrue(Double.isNaN(ClipByGlobalNorm.lastNorm(Optimizers.sgd(p, 0.1))));
    }
}
