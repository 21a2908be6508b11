package dev.ravine.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ravine.optim.Chain;
import dev.ravine.optim.ClipByGlobalNorm;
import dev.ravine.optim.ClipByLayerNorm;
import dev.ravine.optim.ClipByValue;
import dev.ravine.optim.GradientTransform;
import dev.ravine.optim.Optimizer;
import dev.ravine.optim.Optimizers;
import dev.ravine.optim.ScaleByLearningRate;
import dev.ravine.optim.Schedule;
import dev.ravine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The share of its step that each kind of gradient clipping let through. */
class ClipScaleTest {
    private static Optimizer clippedBy(GradientTransform clip, Tensor... params) {
        Map<String, Tensor> named = new LinkedHashMap<>();
        for (int i = 0; i < params.length; i++) named.put("p" + i, params[i]);
        return Optimizer.of(named, Chain.of(clip, new ScaleByLearningRate(Schedule.constant(1.0))));
    }

    @Test
    void aGlobalNormClipScalesByMaxNormOverTheGradientsNormWhenItClips() {
        Tensor w = Tensor.of(new float[] {0, 0}, 2).requiresGrad(true);
        Optimizer clipped = clippedBy(new ClipByGlobalNorm(0.2), w);
        w.setGrad(Tensor.of(new float[] {0.3f, 0.4f}, 2)); // norm 0.5: scaled by 0.4
        clipped.step();
        assertEquals(0.4, ClipScale.of(clipped, List.of(w)), 1e-5);
        w.setGrad(Tensor.of(new float[] {0.03f, 0.04f}, 2)); // norm 0.05: below the max, not scaled
        clipped.step();
        assertEquals(1.0, ClipScale.of(clipped, List.of(w)), 0);
        Tensor v = Tensor.of(new float[] {0, 0}, 2).requiresGrad(true);
        Optimizer plain = Optimizers.sgd(Map.of("v", v), 1.0);
        v.setGrad(Tensor.of(new float[] {3, 4}, 2));
        plain.step();
        assertEquals(1.0, ClipScale.of(plain, List.of(v)), 0, "no clip: the step is lr x the gradient");
    }

    @Test
    void aValueClipKeepsTheShareOfTheGradientsLengthThatSurvivesTheClamp() {
        Tensor w = Tensor.of(new float[] {0, 0}, 2).requiresGrad(true);
        Optimizer clipped = clippedBy(new ClipByValue(0.1), w);
        w.setGrad(Tensor.of(new float[] {0.3f, 0.4f}, 2)); // clamped to (0.1, 0.1): length 0.1414 of 0.5
        clipped.step();
        assertEquals(Math.sqrt(0.02) / 0.5, ClipScale.of(clipped, List.of(w)), 1e-6);
        // the step actually taken has that length: the global-norm reading (no such link) would have said 1
        double taken = Math.hypot(clipped.lastUpdates().get("p0")[0], clipped.lastUpdates().get("p0")[1]);
        assertEquals(taken / 0.5, ClipScale.of(clipped, List.of(w)), 1e-6);
        w.setGrad(Tensor.of(new float[] {0.03f, -0.04f}, 2)); // inside the clamp: the whole step
        clipped.step();
        assertEquals(1.0, ClipScale.of(clipped, List.of(w)), 1e-9);
    }

    @Test
    void aPerParameterClipScalesOnlyTheParametersAboveItsMaxNorm() {
        Tensor a = Tensor.of(new float[] {0, 0}, 2).requiresGrad(true);
        Tensor b = Tensor.of(new float[] {0}, 1).requiresGrad(true);
        Tensor c = Tensor.of(new float[] {0}, 1).requiresGrad(true); // no gradient this step: not part of the step
        Optimizer clipped = clippedBy(new ClipByLayerNorm(1.0), a, b, c);
        a.setGrad(Tensor.of(new float[] {3, 4}, 2)); // norm 5: scaled to norm 1
        b.setGrad(Tensor.of(new float[] {0.1f}, 1)); // below the max: kept
        clipped.step();
        double expected = Math.sqrt((1 + 0.01) / (25 + 0.01));
        assertEquals(expected, ClipScale.of(clipped, List.of(a, b, c)), 1e-5);
    }
}
