package dev.ravine.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ravine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Adam's one-pass step against the same chain run link by link (a link that does nothing in front keeps the chain
 * off the fused path): same weights, updates and moments to the bit, over steps with a parameter left without a
 * gradient, a transposed (strided) gradient, a changed learning-rate scale, and AMSGrad.
 */
class FusedAdamStepTest {
    /** Changes nothing: only there so that the chain is not exactly adam -> lr. */
    private record Nothing() implements GradientTransform {
        @Override
        public TransformState init(List<float[]> params) {
            return TransformState.EMPTY;
        }

        @Override
        public void update(float[][] updates, TransformState state, float[][] params, StepContext context) {}

        @Override
        public String describe() {
            return "nothing";
        }
    }

    private static Map<String, Tensor> params() {
        Random r = new Random(2);
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("w", Tensor.of(randoms(r, 37 * 41), 37, 41).requiresGrad(true));
        p.put("b", Tensor.of(randoms(r, 41), 41).requiresGrad(true));
        p.put("c", Tensor.of(randoms(r, 5), 5).requiresGrad(true));
        return p;
    }

    private static float[] randoms(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    private static void setGradients(Map<String, Tensor> p, int step) {
        Random r = new Random(100 + step);
        // w's gradient arrives as the transposed view of a [41, 37] product, as MatMul's often does
        p.get("w").setGrad(Tensor.of(randoms(r, 41 * 37), 41, 37).transpose(0, 1));
        p.get("b").setGrad(Tensor.of(randoms(r, 41), 41));
        p.get("c").setGrad(step % 3 == 1 ? null : Tensor.of(randoms(r, 5), 5));
    }

    @Test
    void theOnePassStepGivesTheChainsBits() {
        for (boolean amsgrad : new boolean[] {false, true}) {
            Map<String, Tensor> fusedParams = params(), chainParams = params();
            GradientTransform adam = new ScaleByAdam(0.9, 0.999, 1e-8, amsgrad);
            GradientTransform lr = new ScaleByLearningRate(Schedule.constant(3e-3));
            Optimizer fused = Optimizer.of(fusedParams, Chain.of(adam, lr));
            Optimizer chain = Optimizer.of(chainParams, Chain.of(new Nothing(), adam, lr));
            assertNotNull(FusedAdamStep.of(((ChainOptimizer) fused).transform()), "adam -> lr takes the fused step");
            assertNull(FusedAdamStep.of(((ChainOptimizer) chain).transform()), "a longer chain does not");
            for (int step = 0; step < 6; step++) {
                if (step == 4) {
                    fused.setLrScale(0.25);
                    chain.setLrScale(0.25);
                }
                setGradients(fusedParams, step);
                setGradients(chainParams, step);
                fused.step();
                chain.step();
                String what = "amsgrad " + amsgrad + ", step " + (step + 1);
                for (String name : fusedParams.keySet()) {
                    assertArrayEquals(chainParams.get(name).values(), fusedParams.get(name).values(), 0f, name + " weights, " + what);
                    assertArrayEquals(chain.lastUpdates().get(name), fused.lastUpdates().get(name), 0f, name + " update, " + what);
                }
                Map<String, float[]> chainState = chain.stateArrays(), fusedState = fused.stateArrays();
                for (Map.Entry<String, float[]> e : fusedState.entrySet()) {
                    // the chain's links are numbered one later (the link in front)
                    String chainName = e.getKey().replaceFirst("^0\\.", "1.");
                    assertArrayEquals(chainState.get(chainName), e.getValue(), 0f, e.getKey() + ", " + what);
                }
                assertArrayEquals(chain.stateCounters().get("1.step"), fused.stateCounters().get("0.step"), "steps per parameter, " + what);
            }
        }
    }
}
