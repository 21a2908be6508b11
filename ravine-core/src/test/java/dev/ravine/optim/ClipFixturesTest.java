package dev.ravine.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ravine.testing.Fixture;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ClipByGlobalNorm and ClipByValue against torch.nn.utils.clip_grad_norm_ / clip_grad_value_ (tools/gen_clip_fixtures.py),
 * including gradients with a NaN (torch: every gradient becomes NaN) or an infinity (the finite ones become 0).
 */
class ClipFixturesTest {
    @Test void normP2() { check("norm_p2"); }
    @Test void normP2Unclipped() { check("norm_p2_unclipped"); }
    @Test void normInf() { check("norm_inf"); }
    @Test void normP1() { check("norm_p1"); }
    @Test void normP3() { check("norm_p3"); }
    @Test void value() { check("value"); }
    @Test void normP2WithNaN() { check("norm_p2_nan"); }
    @Test void normP2WithNaNBelowMaxNorm() { check("norm_p2_nan_unclipped"); }
    @Test void normInfWithNaN() { check("norm_inf_nan"); }
    @Test void normP1WithNaN() { check("norm_p1_nan"); }
    @Test void normP2WithInfinity() { check("norm_p2_infinite"); }

    private static void check(String name) {
        Fixture f = Fixture.load("clip/" + name + ".json");
        List<String> names = f.strings("param_names");
        float[][] g = new float[names.size()][];
        List<float[]> shapes = new ArrayList<>();
        for (int i = 0; i < g.length; i++) {
            g[i] = f.data("grad." + names.get(i)).clone();
            shapes.add(new float[g[i].length]);
        }
        GradientTransform t;
        if (f.has("clip_value")) t = new ClipByValue(f.number("clip_value"));
        else {
            Object p = f.has("norm_type") && "inf".equals(safeString(f)) ? null : (Object) f.number("norm_type");
            t = new ClipByGlobalNorm(f.number("max_norm"), p == null ? Double.POSITIVE_INFINITY : (Double) p);
        }
        TransformState s = t.init(shapes);
        t.update(g, s, null, new StepContext(1, 1, null));
        if (t instanceof ClipByGlobalNorm) {
            double expected = f.number("total_norm");
            if (Double.isFinite(expected)) assertEquals(expected, ClipByGlobalNorm.lastNorm(s), 2e-6 * Math.max(1, expected), "total norm");
            else assertEquals(expected, ClipByGlobalNorm.lastNorm(s), "total norm");
        }
        for (int i = 0; i < g.length; i++) {
            float[] want = f.data("clipped." + names.get(i));
            for (int j = 0; j < want.length; j++) {
                boolean same = Float.isNaN(want[j]) ? Float.isNaN(g[i][j]) : Fixture.close(g[i][j], want[j], 1e-6);
                if (!same) {
                    fail(name + ": " + names.get(i) + "[" + j + "] = " + g[i][j] + ", torch " + want[j]);
                }
            }
        }
    }

    private static String safeString(Fixture f) {
        try {
            return f.string("norm_type");
        } catch (ClassCastException e) {
            return null;
        }
    }
}
