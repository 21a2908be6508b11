package dev.ravine.lab.surface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.optim.OptimizerAssembly;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The surfaces' tensor expressions and the descent runner against closed forms. */
class SurfaceDescentTest {
    @Test
    void sgdOnTheRavineFollowsTheClosedForm() {
        // f = (x² + 20y²)/2: one SGD step multiplies x by (1 - lr) and y by (1 - 20 lr)
        ElongatedQuadratic ravine = ElongatedQuadratic.ravine();
        double lr = 0.03;
        Trajectory t = SurfaceDescent.run(ravine, "sgd", "sgd", Map.of("lr", lr), 40);
        assertEquals(41, t.points());
        for (int k = 0; k <= 40; k += 10) {
            assertEquals(-4.5 * Math.pow(1 - lr, k), t.x()[k], 1e-4, "x after " + k + " steps");
            assertEquals(1.2 * Math.pow(1 - 20 * lr, k), t.y()[k], 1e-4, "y after " + k + " steps");
            assertEquals(Math.hypot(t.x()[k], 20 * t.y()[k]), t.gradNorm()[k], 1e-4, "gradient norm after " + k + " steps");
        }
    }

    @Test
    void gradientsOfTheSurfacesVanishAtTheirCriticalPoints() {
        for (Surface s : new Surface[] {ElongatedQuadratic.ravine(), new Rosenbrock(), new Saddle(), new Beale()}) {
            double[] m = s.minimum();
            Trajectory t = SurfaceDescent.run(s, s.name(), OptimizerAssembly.of("sgd", Map.of("lr", 1e-3)), m, 0);
            assertTrue(t.gradNorm()[0] < 1e-4, s.name() + ": gradient at the minimum " + t.gradNorm()[0]);
        }
        Trajectory saddle = SurfaceDescent.run(new Saddle(), "saddle", OptimizerAssembly.of("sgd", Map.of("lr", 1e-3)), new double[] {0, 0}, 0);
        assertEquals(0, saddle.gradNorm()[0], 1e-9, "the saddle point is a critical point");
        assertEquals(-0.5, saddle.loss()[0] - 0.5, 1e-9);
    }

    @Test
    void aDivergingRunStopsAtTheFirstNonFiniteLoss() {
        // lr 0.2 on curvature 20: |1 - 4| = 3 per step across the valley, so y grows 3x a step until it overflows
        Trajectory t = SurfaceDescent.run(ElongatedQuadratic.ravine(), "sgd", "sgd", Map.of("lr", 0.2), 500);
        assertTrue(t.diverged());
        assertTrue(t.points() < 500, "stopped early: " + t.points());
    }

    @Test
    void theGridIsRowMajorFromTheRegionsCorner() {
        Saddle s = new Saddle();
        double[] g = SurfaceDescent.grid(s, 5, 3);
        double[] r = s.region();
        assertEquals(r[0] * r[0] - r[2] * r[2] + Math.pow(r[2], 4) / 2, g[0], 1e-5, "row 0, column 0 is (xMin, yMin)");
        assertEquals(r[1] * r[1] - r[3] * r[3] + Math.pow(r[3], 4) / 2, g[14], 1e-5, "the last is (xMax, yMax)");
        assertEquals(0 - 0 + 0, g[7], 1e-6, "the centre (0, 0)");
    }
}
