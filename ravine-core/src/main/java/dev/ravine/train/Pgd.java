package dev.ravine.train;

import dev.ravine.nn.Module;
import dev.ravine.nn.loss.Loss;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;

/**
 * Projected gradient descent on the loss (Madry et al., "Towards deep learning models resistant to adversarial
 * attacks", 2018): from x (or, with a random start, from a uniform point of the epsilon-ball around x), {@code steps}
 * times x <- clip(project(x + stepSize * sign(grad_x loss)), low, high), where project clamps each value to
 * [x0 - epsilon, x0 + epsilon]. Every iterate stays in the ball and in the data range.
 */
public record Pgd(double epsilon, double stepSize, int steps, boolean randomStart, double low, double high) implements AdversarialAttack {
    public Pgd {
        if (!(epsilon >= 0 && Double.isFinite(epsilon))) throw new IllegalArgumentException("PGD epsilon must be >= 0, got " + epsilon);
        if (!(stepSize > 0 && Double.isFinite(stepSize))) throw new IllegalArgumentException("PGD step size must be > 0, got " + stepSize);
        if (steps < 1) throw new IllegalArgumentException("PGD needs at least 1 step, got " + steps);
        if (!(low < high)) throw new IllegalArgumentException("the data range needs low < high, got [" + low + ", " + high + "]");
    }

    @Override
    public float[] perturb(Module model, Loss loss, float[] x, int[] shape, Tensor targets, Rng rng) {
        float[] adv = x.clone();
        if (randomStart) {
            for (int i = 0; i < adv.length; i++) adv[i] += (float) ((2 * rng.nextDouble() - 1) * epsilon);
            AdversarialAttack.clip(adv, low, high);
        }
        for (int s = 0; s < steps; s++) {
            float[] g = InputGradient.of(model, loss, adv, shape, targets);
            for (int i = 0; i < adv.length; i++) {
                double moved = adv[i] + stepSize * Math.signum(g[i]);
                adv[i] = (float) Math.min(x[i] + epsilon, Math.max(x[i] - epsilon, moved));
            }
            AdversarialAttack.clip(adv, low, high);
        }
        return adv;
    }
}
