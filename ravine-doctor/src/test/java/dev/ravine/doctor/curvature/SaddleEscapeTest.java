package dev.ravine.doctor.curvature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.tensor.Tensor;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** f(x, y) = x^2 - y^2 at its saddle (0, 0): H = diag(2, -2), the escape direction is (0, +-1) (note 001). */
class SaddleEscapeTest {
    @Test
    void smallestEigenvectorIsTheEscapeDirectionAndTheLossFallsAlongIt() {
        Tensor point = Tensor.of(new float[] {0, 0}, 2).requiresGrad(true);
        Tensor signs = Tensor.of(new float[] {1, -1}, 2);
        Supplier<Tensor> loss = () -> point.mul(signs).mul(point).sum();
        HessianVectorProduct h = new HessianVectorProduct(loss, List.of(point));
        assertArrayEquals(new double[] {0, 0}, h.gradient(), 0);

        CurvatureReport smallest = HessianSmallestEigen.lanczos(h, new LanczosOptions(2, 1e-6, 5));
        assertEquals(-2, smallest.value(), 1e-6);
        assertEquals(0, smallest.vector()[0], 1e-6);
        assertEquals(1, Math.abs(smallest.vector()[1]), 1e-6);

        double[] steps = {-0.5, -0.1, 0.1, 0.5};
        LossAlongDirection walk = EscapeDirection.probe(loss, List.of(point), smallest.vector(), steps);
        assertEquals(0, walk.baseLoss(), 0);
        for (int i = 0; i < steps.length; i++) assertEquals(steps[i] * steps[i], walk.decrease(i), 1e-6); // -t^2 lambda/2
        assertTrue(walk.descends());
        assertEquals(0.25, walk.largestDecrease(), 1e-6);
        assertArrayEquals(new float[] {0, 0}, point.values(), 0f); // parameters restored
    }

    @Test
    void alongThePositiveEigenvectorTheLossRises() {
        Tensor point = Tensor.of(new float[] {0, 0}, 2).requiresGrad(true);
        Tensor signs = Tensor.of(new float[] {1, -1}, 2);
        Supplier<Tensor> loss = () -> point.mul(signs).mul(point).sum();
        LossAlongDirection walk = EscapeDirection.probe(loss, List.of(point), new double[] {1, 0}, -0.1, 0.1);
        assertTrue(!walk.descends());
    }
}
