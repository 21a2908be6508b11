package dev.ravine.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ravine.autograd.GradCheck;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Shape;
import dev.ravine.tensor.Tensor;
import dev.ravine.testing.Fixture;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Conv2d dilation, groups (depthwise included) and padding: same; pooling ceil_mode and average pooling
 * count_include_pad: false, against PyTorch (tools/gen_engine_fixtures.py) and finite differences; the layers'
 * outputShape agrees with the computed output.
 */
class ConvPoolOptionsFixturesTest {
    private static final double TOL = 2e-5;

    @Test void dilation() { conv("conv2d_dilation2"); }
    @Test void groupsWithStride() { conv("conv2d_groups2_s2"); }
    @Test void depthwise() { conv("conv2d_depthwise"); }
    @Test void samePaddingEvenKernel() { conv("conv2d_same_even"); }
    @Test void samePaddingDilatedGrouped() { conv("conv2d_same_dilated_grouped"); }
    @Test void maxPoolCeil() { pool("maxpool2d_ceil"); }
    @Test void maxPoolCeilKernel2() { pool("maxpool2d_ceil_k2"); }
    @Test void avgPoolExcludePad() { pool("avgpool2d_exclude_pad"); }
    @Test void avgPoolCeil() { pool("avgpool2d_ceil"); }
    @Test void avgPoolCeilExcludePad() { pool("avgpool2d_ceil_exclude_pad"); }

    private static Conv2d convOf(Fixture f, Rng rng) {
        boolean bias = !f.has("bias") || f.bool("bias");
        return new Conv2d(f.integer("in"), f.integer("out"), f.integer("kernel"), f.integer("stride"), f.integer("padding"), bias, rng, null,
                WeightForm.PLAIN, new Conv2d.Options(f.integer("dilation"), f.integer("groups"), f.bool("same")));
    }

    private static void conv(String name) {
        Fixture f = Fixture.load("layers/" + name + ".json");
        Conv2d c = convOf(f, new Rng(1));
        for (Map.Entry<String, Tensor> p : c.namedParameters().entrySet()) p.getValue().copyFrom(f.data("param." + p.getKey()));
        run(f, c);
        for (Map.Entry<String, Tensor> p : c.namedParameters().entrySet()) f.compare("grad_" + p.getKey(), p.getValue().grad(), TOL);
        if (f.report() != null) fail(f.report());
    }

    private static Module poolOf(Fixture f) {
        if (f.has("count_include_pad")) {
            return new AvgPool2d(f.integer("kernel"), f.integer("stride"), f.integer("padding"), f.bool("ceil_mode"), f.bool("count_include_pad"));
        }
        return new MaxPool2d(f.integer("kernel"), f.integer("stride"), f.integer("padding"), f.bool("ceil_mode"));
    }

    private static void pool(String name) {
        Fixture f = Fixture.load("layers/" + name + ".json");
        run(f, poolOf(f));
        if (f.report() != null) fail(f.report());
    }

    private static void run(Fixture f, Module m) {
        Tensor x = f.tensor("input").requiresGrad(true);
        Tensor out = m.call(x);
        f.compare("output", out, TOL);
        int[] s = x.shape();
        int[] predicted = m.outputShape(Arrays.copyOfRange(s, 1, s.length));
        assertArrayEquals(Arrays.copyOfRange(out.shape(), 1, 4), predicted, "outputShape of " + Shape.str(s));
        out.mul(f.tensor("R")).sum().backward();
        f.compare("grad_input", x.grad(), TOL);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Rng rng = new Rng(9);
        List<Module> layers = List.of(
                new Conv2d(4, 4, 3, 1, 0, true, rng, null, WeightForm.PLAIN, new Conv2d.Options(2, 2, true)),
                new Conv2d(2, 2, 2, 1, 0, true, rng, null, WeightForm.PLAIN, new Conv2d.Options(1, 2, true)),
                new AvgPool2d(3, 2, 1, true, false));
        int[] channels = {4, 2, 2};
        for (int i = 0; i < layers.size(); i++) {
            Module m = layers.get(i);
            Tensor x = Tensor.uniform(rng, -1, 1, 2, channels[i], 5, 5).requiresGrad(true);
            List<Tensor> in = new ArrayList<>(List.of(x));
            in.addAll(m.parameters());
            GradCheck.Result r = GradCheck.check(t -> m.call(t.get(0)), in);
            assertTrue(r.passed(), m.kind() + ": " + r);
        }
    }

    @Test
    void badOptionsAreRefused() {
        Rng rng = new Rng(1);
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Conv2d(3, 4, 3, 1, 0, true, rng, null, WeightForm.PLAIN, new Conv2d.Options(1, 2, false)));
        assertTrue(e.getMessage().contains("groups >= 1 dividing both in (3) and out (4)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Conv2d(3, 4, 3, 2, 0, true, rng, null, WeightForm.PLAIN, new Conv2d.Options(1, 1, true)));
        assertTrue(e.getMessage().contains("padding: same needs stride 1"), e.getMessage());
    }
}
