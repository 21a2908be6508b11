package dev.ravine.doctor.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.RunFacts;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Note 001's plateau classification on two-parameter surfaces whose answer is known. */
class PlateauClassifierTest {
    private static final RunFacts FACTS = new RunFacts(0.019, "sgd", 0, List.of());

    /** sum_i w_i p_i^2 */
    private static Supplier<Tensor> quadratic(Tensor point, float... w) {
        Tensor weights = Tensor.of(w, w.length);
        return () -> point.mul(weights).mul(point).sum();
    }

    @Test
    void theOriginOfXSquaredMinusYSquaredIsASaddleWithAnEscape() {
        Tensor point = Tensor.of(new float[] {0, 0}, 2).requiresGrad(true);
        PlateauClassifier.Classification c = PlateauClassifier.defaults().classify(quadratic(point, 1, -1), List.of(point), 1, List.of(), FACTS, 500);
        assertEquals("saddle_point", c.kind());
        assertEquals(-2, c.smallestEigenvalue(), 1e-6);
        assertEquals(2, c.largestEigenvalue(), 1e-2);
        Finding f = c.finding().orElseThrow();
        assertEquals("saddle_point", f.id());
        assertEquals(500, f.firstStep());
        assertTrue(f.evidence().get(2).contains("an escape direction"), f.evidence().toString());
        assertEquals(0f, point.values()[1], 0f); // parameters restored after the probe
    }

    @Test
    void theOriginOfXSquaredPlusYSquaredIsALocalMinimum() {
        Tensor point = Tensor.of(new float[] {0, 0}, 2).requiresGrad(true);
        PlateauClassifier.Classification c = PlateauClassifier.defaults().classify(quadratic(point, 1, 1), List.of(point), 1, List.of(), FACTS, 0);
        assertEquals("local_minimum", c.kind());
        assertEquals(2, c.smallestEigenvalue(), 1e-6);
        assertEquals("local_minimum", c.finding().orElseThrow().id());
    }

    @Test
    void gradientDescentJustBelowTwoOverLambdaBouncesAcrossARavine() {
        // 0.5 (100 x^2 + y^2), lr 0.019 < 2/100: x_{t+1} = -0.9 x_t flips sign every step while y creeps down
        Tensor point = Tensor.of(new float[] {1, 1}, 2).requiresGrad(true);
        Supplier<Tensor> loss = quadratic(point, 50, 0.5f);
        double initialGrad = Math.hypot(100, 1);
        List<double[]> updates = new ArrayList<>();
        double x = 1, y = 1;
        for (int t = 0; t < 10; t++) {
            double dx = -0.019 * 100 * x, dy = -0.019 * y;
            updates.add(new double[] {dx, dy});
            x += dx;
            y += dy;
        }
        point.copyFrom(new float[] {(float) x, (float) y});
        PlateauClassifier.Classification c = PlateauClassifier.defaults().classify(loss, List.of(point), initialGrad, updates, FACTS, 10);
        assertEquals("ravine", c.kind());
        assertEquals(100, c.largestEigenvalue(), 0.1);
        assertEquals(1.0, c.flipShare(), 0);
        Finding f = c.finding().orElseThrow();
        assertTrue(f.evidence().get(2).contains("lr x sharpness = 1.9"), f.evidence().toString());

        // the same point with updates that keep their sign (a slow, steady descent) is simply not a critical point
        List<double[]> steady = new ArrayList<>();
        for (int t = 0; t < 10; t++) steady.add(new double[] {-0.01, -0.01});
        assertEquals("not_critical", PlateauClassifier.defaults().classify(loss, List.of(point), initialGrad, steady, FACTS, 10).kind());

        // the same flips with a step far below the overshoot point (lr x sharpness 0.1) are mini-batch noise, not a ravine
        RunFacts small = new RunFacts(0.001, "sgd", 0, List.of());
        assertEquals("not_critical", PlateauClassifier.defaults().classify(loss, List.of(point), initialGrad, updates, small, 10).kind());

        // the same flips under an adaptive optimizer: its steps are lr over its own per-coordinate scale, so lr x sharpness
        // says nothing about an overshoot and no ravine is claimed (Adadelta at lr 1.0 read 6.8 on a healthy regression)
        RunFacts adaptive = new RunFacts(0.019, "adadelta", 0, List.of());
        assertTrue(adaptive.adaptive(), "Adadelta preconditions its steps");
        assertEquals("not_critical", PlateauClassifier.defaults().classify(loss, List.of(point), initialGrad, updates, adaptive, 10).kind());
    }

    @Test
    void aPointFlatToSecondOrderIsAHigherOrderSaddleWhenTheLossFallsAlongSomeLineElseAMinimum() {
        // (1 - a b c)^2 at a = b = c = 0: gradient and Hessian both 0, yet the loss is cubic along most lines
        Tensor p = Tensor.of(new float[] {0, 0, 0}, 3).requiresGrad(true);
        Tensor e0 = Tensor.of(new float[] {1, 0, 0}, 3), e1 = Tensor.of(new float[] {0, 1, 0}, 3), e2 = Tensor.of(new float[] {0, 0, 1}, 3);
        Supplier<Tensor> product = () -> p.mul(e0).sum().mul(p.mul(e1).sum()).mul(p.mul(e2).sum()).rsub(1).pow(2);
        PlateauClassifier.Classification c = PlateauClassifier.defaults().classify(product, List.of(p), 1, List.of(), FACTS, 5);
        assertEquals("saddle_point", c.kind());
        assertTrue(c.finding().orElseThrow().evidence().get(1).contains("the Hessian vanishes too"), c.finding().orElseThrow()::toString);
        assertEquals(0f, p.values()[0], 0f); // parameters restored after the probes
        // a^4 + b^4 at 0: as flat to second order, but no line goes down: a minimum
        Tensor q = Tensor.of(new float[] {0, 0}, 2).requiresGrad(true);
        assertEquals("local_minimum", PlateauClassifier.defaults().classify(() -> q.pow(4).sum(), List.of(q), 1, List.of(), FACTS, 5).kind());
    }
}
