package dev.ravine.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.ravine.autograd.Autograd;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A conv2d layer followed by a ReLU in a Sequential runs as one op (the ReLU in the convolution's output pass, its
 * mask in the backward): the same bits as the two layers called one after the other, first and second order, and
 * the two layers stay separate where something watches them.
 */
class FusedConvReluTest {

    private record Net(Conv2d conv, Activation relu, Sequential seq) {
        static Net of(Rng rng, boolean bias) {
            Conv2d conv = new Conv2d(3, 5, 3, 1, 1, bias, rng, null);
            Activation relu = Activation.relu();
            return new Net(conv, relu, new Sequential(conv, relu));
        }

        /** The two layers one after the other, each through its own call. */
        Tensor separate(Tensor x) {
            return relu.call(conv.call(x));
        }
    }

    @Test
    void fusedOutputsAndGradientsHaveTheBitsOfTheSeparateLayers() {
        for (boolean bias : new boolean[] {true, false}) {
            Rng rng = new Rng(bias ? 21 : 22);
            Net net = Net.of(rng, bias);
            // 11 samples: more than one weight-gradient chunk; about half of the outputs are negative.
            Tensor x = Tensor.normal(rng, 0, 1, 11, 3, 9, 8).requiresGrad(true);
            Tensor fused = net.seq().call(x), separate = net.separate(x);
            assertEquals("conv2d_relu", fused.gradFn().op());
            assertArrayEquals(separate.values(), fused.values(), "output, bias " + bias);
            Tensor r = Tensor.normal(rng, 0, 1, fused.shape());
            List<Tensor> wrt = new ArrayList<>(net.seq().parameters());
            wrt.add(x);
            List<Tensor> gFused = Autograd.grad(fused.mul(r).sum(), wrt, null, false);
            List<Tensor> gSeparate = Autograd.grad(separate.mul(r).sum(), wrt, null, false);
            for (int i = 0; i < wrt.size(); i++) {
                assertArrayEquals(gSeparate.get(i).values(), gFused.get(i).values(), "gradient " + i + ", bias " + bias);
            }
        }
    }

    @Test
    void hessianVectorProductsThroughTheFusedOpEqualTheSeparateLayers() {
        Rng rng = new Rng(23);
        Net net = Net.of(rng, true);
        Tensor x = Tensor.normal(rng, 0, 1, 3, 3, 6, 5);
        List<Tensor> params = net.seq().parameters();
        List<Tensor> v = new ArrayList<>();
        for (Tensor p : params) v.add(Tensor.normal(rng, 0, 1, p.shape()));
        List<Tensor> hvFused = hvp(net.seq().call(x).square().sum(), params, v);
        List<Tensor> hvSeparate = hvp(net.separate(x).square().sum(), params, v);
        for (int i = 0; i < params.size(); i++) {
            float[] e = hvSeparate.get(i).values(), a = hvFused.get(i).values();
            for (int j = 0; j < e.length; j++) assertEquals(e[j], a[j], 1e-5 * Math.max(1, Math.abs(e[j])), "Hv " + i + " at " + j);
        }
    }

    @Test
    void aHookOnEitherLayerKeepsThemSeparate() {
        Rng rng = new Rng(24);
        Tensor x = Tensor.normal(rng, 0, 1, 2, 3, 5, 5);
        for (boolean onConv : new boolean[] {true, false}) {
            Net net = Net.of(rng, true);
            Tensor[] seen = new Tensor[1];
            (onConv ? net.conv() : net.relu()).addForwardHook((m, in, out) -> seen[0] = out);
            Tensor y = net.seq().call(x);
            assertEquals("relu", y.gradFn().op());
            if (onConv) assertSame(y.gradFn().inputs()[0], seen[0], "the conv's hook sees the ReLU's input");
            else assertSame(y, seen[0]);
        }
    }

    private static List<Tensor> hvp(Tensor loss, List<Tensor> params, List<Tensor> v) {
        List<Tensor> g = Autograd.grad(loss, params, null, true);
        Tensor dot = g.get(0).mul(v.get(0)).sum();
        for (int i = 1; i < g.size(); i++) dot = dot.add(g.get(i).mul(v.get(i)).sum());
        return Autograd.grad(dot, params, null, false);
    }
}
