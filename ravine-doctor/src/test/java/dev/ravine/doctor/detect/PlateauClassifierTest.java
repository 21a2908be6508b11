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

    /** (w1 w2 w3 w4 - target)^2: a chain of four scalar weights, the loss of a bias-free linear chain on one sample. */
    private static Supplier<Tensor> chain(List<Tensor> w, float target) {
        return () -> {
            Tensor d = w.get(0).mul(w.get(1)).mul(w.get(2)).mul(w.get(3)).sub(target);
            return d.mul(d).sum();
        };
    }

    private static List<Tensor> weights(float value) {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) out.add(Tensor.of(new float[] {value}, 1).requiresGrad(true));
        return out;
    }

    @Test
    void aChainOfTinyWeightsIsASaddleThoughItsGradientNeverFellFromItsStart() {
        // every weight 0.01: each gradient is a product of three of them (2e-6) against a loss of 1, and the run's reference
        // gradient is that same tiny one (it started there), so only the loss's own scale shows the critical point
        List<Tensor> tiny = weights(0.01f);
        Supplier<Tensor> loss = chain(tiny, 1);
        double g = dev.ravine.linalg.DenseVectors.norm(new dev.ravine.doctor.curvature.HessianVectorProduct(loss, tiny).gradient());
        PlateauClassifier.Classification c = PlateauClassifier.defaults().classify(loss, tiny, g, List.of(), FACTS, 60);
        assertEquals("saddle_point", c.kind(), () -> String.valueOf(c));
        assertTrue(c.smallestEigenvalue() < 0);
        assertTrue(c.finding().orElseThrow().evidence().getFirst().contains("on the loss's own scale"), c.finding().toString());
        // the same chain at weights 1 against a target of 2: a gradient of the loss's order, no critical point
        List<Tensor> unit = weights(1f);
        Supplier<Tensor> away = chain(unit, 2);
        double gu = dev.ravine.linalg.DenseVectors.norm(new dev.ravine.doctor.curvature.HessianVectorProduct(away, unit).gradient());
        assertEquals("not_critical", PlateauClassifier.defaults().classify(away, unit, gu, List.of(), FACTS, 60).kind());
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
    void aBounceWhoseStepsClippingScaledBelowTheOvershootIsNoRavine() {
        // the ravine's own bounce read at lr 0.019 (lr x sharpness 1.9), but every step scaled by 0.4 by a norm clip:
        // each step's factor along the sharp direction is 0.76, inside the walls
        Tensor point = Tensor.of(new float[] {1, 1}, 2).requiresGrad(true);
        Supplier<Tensor> loss = quadratic(point, 50, 0.5f);
        List<double[]> updates = descent(point, 0.019);
        double initialGrad = Math.hypot(100, 1);
        assertEquals("ravine", PlateauClassifier.defaults().classify(loss, List.of(point), initialGrad, updates, FACTS, 10, Double.NaN).kind());
        assertEquals("not_critical", PlateauClassifier.defaults().withStepScale(0.4).classify(loss, List.of(point), initialGrad, updates, FACTS, 10, Double.NaN).kind());
        // a milder clip (0.8) leaves the step past the overshoot: still a ravine, its evidence naming the scale
        Finding f = PlateauClassifier.defaults().withStepScale(0.8).classify(loss, List.of(point), initialGrad, updates, FACTS, 10, Double.NaN).finding().orElseThrow();
        assertTrue(f.evidence().get(2).contains("lr x clip scale x sharpness = 0.019 x 0.8 x"), f.evidence().toString());
    }

    /** Ten steps of gradient descent at {@code lr} on 0.5 (100 x^2 + y^2) from (1, 1): x flips sign each step when lr > 1/100. */
    private static List<double[]> descent(Tensor point, double lr) {
        List<double[]> updates = new ArrayList<>();
        double x = 1, y = 1;
        for (int t = 0; t < 10; t++) {
            double dx = -lr * 100 * x, dy = -lr * y;
            updates.add(new double[] {dx, dy});
            x += dx;
            y += dy;
        }
        point.copyFrom(new float[] {(float) x, (float) y});
        return updates;
    }

    @Test
    void aHeavyBallBounceIsJudgedAgainstTheFlipsItsRotationPredicts() {
        // 0.5 (100 x^2 + y^2) under heavy ball, momentum 0.9, lr 0.02: lr x sharpness 2 (inside the edge 3.8), so the steep
        // direction rings at a rotation of about 0.52 pi per step and its updates flip in about half the pairs
        Tensor point = Tensor.of(new float[] {1, 1}, 2).requiresGrad(true);
        Supplier<Tensor> loss = quadratic(point, 50, 0.5f);
        List<double[]> updates = new ArrayList<>();
        double x = 1, y = 1, vx = 0, vy = 0;
        for (int t = 0; t < 10; t++) {
            vx = 0.9 * vx + 100 * x;
            vy = 0.9 * vy + y;
            updates.add(new double[] {-0.02 * vx, -0.02 * vy});
            x -= 0.02 * vx;
            y -= 0.02 * vy;
        }
        point.copyFrom(new float[] {(float) x, (float) y});
        RunFacts facts = new RunFacts(0.02, "sgd", 0, List.of());
        double initialGrad = Math.hypot(100, 1), edge = 3.8 / 0.02;
        // gradient descent's test asks for flips in 0.6 of the pairs, as its bounce flips them all: this ringing is not it
        PlateauClassifier.Classification plain = PlateauClassifier.defaults().classify(loss, List.of(point), initialGrad, updates, facts, 10, edge);
        assertTrue(plain.flipShare() > 0.31 && plain.flipShare() < 0.6, "flips " + plain.flipShare());
        assertEquals("not_critical", plain.kind());
        // judged against the rotation's 0.52: 0.6 of it is 0.31, and the ringing is the ravine's bounce
        PlateauClassifier.Classification ringing = PlateauClassifier.defaults().withMomentum(new HeavyBallRing(0.9, 0))
                .classify(loss, List.of(point), initialGrad, updates, facts, 10, edge);
        assertEquals("ravine", ringing.kind());
        assertTrue(ringing.finding().orElseThrow().evidence().get(1).contains("rotation of 0.5168 pi"), ringing.finding().get().evidence()::toString);
        // the same updates with their signs kept (a descent along the sharp direction) flip in no pair: not a bounce
        List<double[]> steady = updates.stream().map(u -> new double[] {-Math.abs(u[0]), -Math.abs(u[1])}).toList();
        assertEquals("not_critical", PlateauClassifier.defaults().withMomentum(new HeavyBallRing(0.9, 0))
                .classify(loss, List.of(point), initialGrad, steady, facts, 10, edge).kind());
    }

    @Test
    void aBounceBeyondTheOptimizersStabilityEdgeIsTooHighALearningRateNotARavine() {
        Tensor point = Tensor.of(new float[] {1, 1}, 2).requiresGrad(true);
        Supplier<Tensor> loss = quadratic(point, 50, 0.5f);
        List<double[]> updates = descent(point, 0.019);
        double initialGrad = Math.hypot(100, 1);
        // the edge at lr 0.019 is 2 / 0.019 = 105 > 100: a ravine the step can live in
        assertEquals("ravine", PlateauClassifier.defaults().classify(loss, List.of(point), initialGrad, updates, FACTS, 10, 2 / 0.019).kind());
        // the same bounce where the edge is 80 (a rate of 0.025): beyond it, the step is what is wrong
        RunFacts faster = new RunFacts(0.025, "sgd", 0, List.of());
        PlateauClassifier.Classification c = PlateauClassifier.defaults().classify(loss, List.of(point), initialGrad, updates, faster, 10, 80);
        assertEquals("lr_too_high", c.kind());
        Finding f = c.finding().orElseThrow();
        assertEquals("lr_too_high", f.id());
        assertTrue(f.evidence().get(2).contains("1.25x the optimizer's stability edge 80"), f.evidence().toString());
        assertEquals("optimizer.lr: 0.025 -> 0.008333", f.remedies().getFirst().change());
        // a reading a tenth past the edge (edge 100 / 1.1) is the edge of stability's hover, where a ravine's step lives
        PlateauClassifier.Classification atTheEdge = PlateauClassifier.defaults().classify(loss, List.of(point), initialGrad, updates, faster, 10, 100 / 1.1);
        assertEquals("ravine", atTheEdge.kind());
        assertTrue(atTheEdge.finding().orElseThrow().evidence().stream().anyMatch(e -> e.contains("1.1x the optimizer's stability edge")),
                atTheEdge.finding().orElseThrow().evidence()::toString);
        assertTrue(PlateauClassifier.pastTheEdge(100, 100 / 1.25) && !PlateauClassifier.pastTheEdge(100, 100 / 1.15));
        // no edge known (Nesterov, adaptive steps): a bounce is the ravine's as before
        assertEquals("ravine", PlateauClassifier.defaults().classify(loss, List.of(point), initialGrad, updates, faster, 10, Double.NaN).kind());
    }

    @Test
    void aStepAtTheWallsLimitMovingAlongAFloorAHundredTimesFlatterCrawlsInARavine() {
        // 0.5 (100 x^2 + 0.5 y^2): the walls' curvature 100, the floor's 0.5; a full batch's steep direction has settled
        Tensor point = Tensor.of(new float[] {0, 1}, 2).requiresGrad(true);
        Supplier<Tensor> loss = quadratic(point, 50, 0.25f);
        List<double[]> alongTheFloor = new ArrayList<>();
        for (int t = 0; t < 8; t++) alongTheFloor.add(new double[] {0, -0.01});
        PlateauClassifier.Classification c = PlateauClassifier.defaults().classifyCrawl(loss, List.of(point), 100, alongTheFloor, FACTS, 60, 2 / 0.019);
        assertEquals("ravine", c.kind());
        assertTrue(c.finding().orElseThrow().evidence().get(1).contains("200x below the top Hessian eigenvalue"), c.finding().orElseThrow()::toString);
        // a move with as much of the steep direction as of the floor is not crawling along a floor (curvature 50: 2x below)
        List<double[]> mixed = new ArrayList<>();
        for (int t = 0; t < 8; t++) mixed.add(new double[] {-0.01, -0.01});
        assertEquals("not_critical", PlateauClassifier.defaults().classifyCrawl(loss, List.of(point), 100, mixed, FACTS, 60, 2 / 0.019).kind());
        // a step far inside the walls (lr x sharpness 0.1) could simply be longer: slow, not a ravine
        RunFacts small = new RunFacts(0.001, "sgd", 0, List.of());
        assertEquals("not_critical", PlateauClassifier.defaults().classifyCrawl(loss, List.of(point), 100, alongTheFloor, small, 60, 2 / 0.001).kind());
        // an adaptive optimizer's step is not lr along the walls: nothing is claimed
        RunFacts adaptive = new RunFacts(0.019, "adam", 0, List.of());
        assertEquals("not_critical", PlateauClassifier.defaults().classifyCrawl(loss, List.of(point), 100, alongTheFloor, adaptive, 60, Double.NaN).kind());
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
