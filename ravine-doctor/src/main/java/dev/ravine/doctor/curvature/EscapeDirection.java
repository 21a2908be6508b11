package dev.ravine.doctor.curvature;

import dev.ravine.autograd.GradMode;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Confirms a saddle by walking along a negative-curvature eigenvector (note 001: at a critical point,
 * L(theta + t v) ~ L(theta) + t^2 lambda / 2 for an eigenvector v with eigenvalue lambda, so lambda < 0 means the loss
 * falls both ways: an escape direction, and the point is not a local minimum). A measured drop is evidence a
 * second-order model alone is not: the Taylor expansion may fail at the step sizes that matter.
 */
public final class EscapeDirection {
    private EscapeDirection() {}

    /**
     * Evaluates the loss at theta + t v for each t, without recording a graph, and restores the parameters exactly.
     *
     * @param direction flat over the parameters, in list order (as {@link HessianVectorProduct} lays them out)
     */
    public static LossAlongDirection probe(Supplier<Tensor> loss, List<Tensor> parameters, double[] direction, double... steps) {
        List<float[]> original = new ArrayList<>(parameters.size());
        for (Tensor p : parameters) original.add(p.toArray().clone());
        double[] losses = new double[steps.length];
        double base;
        try (var scope = GradMode.noGrad()) {
            base = loss.get().item();
            for (int i = 0; i < steps.length; i++) {
                displace(parameters, original, direction, steps[i]);
                losses[i] = loss.get().item();
            }
        } finally {
            for (int j = 0; j < parameters.size(); j++) parameters.get(j).copyFrom(original.get(j));
        }
        return new LossAlongDirection(base, steps.clone(), losses);
    }

    private static void displace(List<Tensor> parameters, List<float[]> original, double[] direction, double t) {
        int at = 0;
        for (int j = 0; j < parameters.size(); j++) {
            float[] start = original.get(j);
            float[] moved = new float[start.length];
            for (int i = 0; i < start.length; i++) moved[i] = (float) (start[i] + t * direction[at++]);
            parameters.get(j).copyFrom(moved);
        }
        if (at != direction.length) {
            throw new IllegalArgumentException("direction has " + direction.length + " entries for " + at + " parameters");
        }
    }
}
