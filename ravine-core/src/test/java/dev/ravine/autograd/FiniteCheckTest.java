package dev.ravine.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.nn.Activation;
import dev.ravine.nn.Linear;
import dev.ravine.nn.Module;
import dev.ravine.nn.Sequential;
import dev.ravine.optim.Optimizer;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Deliberately broken ops and updates, each of which the check must name: phase, op, layer and parameter. */
class FiniteCheckTest {
    /** A layer that applies one tensor function, to put a broken op inside a network. */
    private static final class Apply extends Module {
        private final UnaryOperator<Tensor> f;

        Apply(UnaryOperator<Tensor> f) {
            this.f = f;
        }

        @Override
        protected Tensor forward(Tensor input) {
            return f.apply(input);
        }

        @Override
        public String kind() {
            return "apply";
        }

        @Override
        public int[] outputShape(int[] inputShape) {
            return inputShape;
        }
    }

    /** Layer names as the config writes them: model.layers[i] for the i-th child of the top-level Sequential. */
    private static Map<Object, String> layerNames(Sequential net) {
        Map<Object, String> names = new IdentityHashMap<>();
        for (Map.Entry<String, Module> e : net.children().entrySet()) names.put(e.getValue(), "model.layers[" + e.getKey() + "]");
        return names;
    }

    private static NonFiniteOrigin forwardAndBackward(Sequential net, Tensor x) {
        try (FiniteCheck check = FiniteCheck.open(layerNames(net), net.namedParameters())) {
            check.atStep(7);
            Tensor loss = net.call(x).sum();
            loss.backward();
            return check.origin().orElse(null);
        }
    }

    @Test
    void logOfANegativeInputInLayerTwoIsNamedInTheForwardPass() {
        Rng rng = new Rng(3);
        Sequential net = new Sequential(new Linear(4, 6, true, rng), new Apply(Tensor::tanh), new Apply(Tensor::log));
        NonFiniteOrigin o = forwardAndBackward(net, Tensor.normal(rng, 0, 1, 5, 4));
        assertEquals(NonFiniteOrigin.Phase.FORWARD, o.phase());
        assertEquals("log", o.op());
        assertEquals("model.layers[2]", o.scope());
        assertEquals(7, o.step());
        assertTrue(o.nonFinite() > 0 && o.nonFinite() < o.total(), "some of tanh's outputs are negative, not all: " + o);
        assertTrue(o.detail().contains("NaN") && o.detail().contains("[-"), "the detail shows NaNs and a negative input range: " + o.detail());
    }

    @Test
    void expOverflowIsNamedWithTheLinearBeforeItsParameterFinite() {
        Rng rng = new Rng(4);
        Linear big = new Linear(3, 3, true, rng);
        big.namedParameters().get("weight").copyFrom(new float[] {60, 60, 60, 60, 60, 60, 60, 60, 60});
        Sequential net = new Sequential(big, new Apply(Tensor::exp));
        NonFiniteOrigin o = forwardAndBackward(net, Tensor.ones(2, 3));
        assertEquals(NonFiniteOrigin.Phase.FORWARD, o.phase());
        assertEquals("exp", o.op());
        assertEquals("model.layers[1]", o.scope());
        assertTrue(o.detail().contains("infinite"), o.detail());
    }

    @Test
    void aDivisionByZeroInBackwardIsNamedAsTheBackwardOfSqrt() {
        // sqrt(relu(z)) is finite, 0 where z <= 0; its derivative 1 / (2 sqrt(x)) divides by zero there.
        Rng rng = new Rng(5);
        Sequential net = new Sequential(new Linear(4, 8, true, rng), Activation.relu(), new Apply(Tensor::sqrt), new Linear(8, 1, true, rng));
        NonFiniteOrigin o = forwardAndBackward(net, Tensor.normal(rng, 0, 1, 6, 4));
        assertEquals(NonFiniteOrigin.Phase.BACKWARD, o.phase(), o.toString());
        assertEquals("sqrt", o.op());
        assertEquals("model.layers[2]", o.scope());
        assertTrue(o.detail().contains("inputs in [0.000, "), "the op's input starts at 0: " + o.detail());
    }

    @Test
    void adamWithEpsZeroOnAZeroGradientIsNamedAsTheAdamLink() {
        Tensor w = Tensor.of(new float[] {1, 2, 3}, 3).requiresGrad(true);
        Tensor v = Tensor.of(new float[] {1, 1}, 2).requiresGrad(true);
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("0.weight", w);
        params.put("1.weight", v);
        Optimizer adam = Optimizers.adam(params, 1e-3, 0.9, 0.999, 0.0, 0.0, false);
        try (FiniteCheck check = FiniteCheck.open(Map.of(), params)) {
            // the loss does not depend on w: its gradient is exactly 0, so Adam's m / (sqrt(v) + eps) is 0 / 0
            Tensor loss = w.mul(0f).sum().add(v.mul(v).sum());
            loss.backward();
            adam.step();
            NonFiniteOrigin o = check.origin().orElseThrow();
            assertEquals(NonFiniteOrigin.Phase.UPDATE, o.phase());
            assertTrue(o.op().contains("adam"), "the link is Adam's scaling: " + o.op());
            assertEquals("0.weight", o.parameter());
            assertEquals(3, o.nonFinite());
        }
        assertTrue(Float.isNaN(w.get(0)), "the step itself went ahead, as it does in training");
    }

    @Test
    void anOverflowingWeightUpdateIsNamedAsTheUpdate() {
        Tensor w = Tensor.of(new float[] {3e38f, 1f}, 2).requiresGrad(true);
        Optimizer sgd = Optimizers.sgd(Map.of("layer.weight", w), 1e38);
        try (FiniteCheck check = FiniteCheck.open(Map.of(), Map.of("layer.weight", w))) {
            w.neg().sum().backward(); // gradient -1: the update is +1e38, finite, and 3e38 + 1e38 overflows
            sgd.step();
            NonFiniteOrigin o = check.origin().orElseThrow();
            assertEquals(NonFiniteOrigin.Phase.UPDATE, o.phase());
            assertEquals("w + update", o.op());
            assertEquals("layer.weight", o.parameter());
            assertEquals(1, o.nonFinite());
        }
    }

    @Test
    void aNonFiniteBatchIsAnInputNotAnOp() {
        Rng rng = new Rng(6);
        Sequential net = new Sequential(new Linear(3, 2, true, rng), Activation.relu());
        NonFiniteOrigin o = forwardAndBackward(net, Tensor.of(new float[] {1, Float.NaN, 0, 2, 2, 2}, 2, 3));
        assertEquals(NonFiniteOrigin.Phase.INPUT, o.phase());
        assertNull(o.parameter(), "no weight is to blame: " + o);
        assertEquals(1, o.nonFinite());
        assertTrue(o.detail().contains("the batch"), o.detail());
    }

    @Test
    void aWeightAlreadyNonFiniteIsAnInputNamingTheParameter() {
        Rng rng = new Rng(7);
        Linear first = new Linear(2, 2, true, rng);
        first.namedParameters().get("bias").copyFrom(new float[] {Float.POSITIVE_INFINITY, 0});
        Sequential net = new Sequential(first, Activation.relu());
        NonFiniteOrigin o = forwardAndBackward(net, Tensor.ones(1, 2));
        assertEquals(NonFiniteOrigin.Phase.INPUT, o.phase());
        assertEquals("0.bias", o.parameter());
        assertEquals("model.layers[0]", o.scope());
    }

    @Test
    void withoutACheckNothingIsRecordedAndTheTapeHasNoScopes() {
        Rng rng = new Rng(8);
        Sequential net = new Sequential(new Linear(2, 2, true, rng), new Apply(Tensor::log));
        Tensor out = net.call(Tensor.full(-1f, 1, 2));
        assertFalse(FiniteCheck.isOn());
        assertNull(out.gradFn().scope());
        try (FiniteCheck check = FiniteCheck.open(layerNames(net), net.namedParameters())) {
            assertTrue(FiniteCheck.isOn());
            assertEquals("model.layers[1]", net.call(Tensor.full(-1f, 1, 2)).gradFn().scope());
        }
        assertFalse(FiniteCheck.isOn(), "closing the check turns the hooks off again");
    }

    @Test
    void onlyTheFirstOriginIsKept() {
        Rng rng = new Rng(9);
        Sequential net = new Sequential(new Apply(Tensor::log), new Apply(t -> t.div(0f)));
        NonFiniteOrigin o = forwardAndBackward(net, Tensor.full(-2f, 1, 3).requiresGrad(true));
        assertEquals("log", o.op(), "the division by zero after it only spreads the NaN");
        assertEquals("model.layers[0]", o.scope());
    }
}
