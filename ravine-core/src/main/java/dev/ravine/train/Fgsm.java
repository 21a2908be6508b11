package dev.ravine.train;

import dev.ravine.nn.Module;
import dev.ravine.nn.loss.Loss;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;

/**
 * The fast gradient sign method (Goodfellow, Shlens and Szegedy, "Explaining and harnessing adversarial examples",
 * 2015): x_adv = clip(x + epsilon * sign(grad_x loss), low, high), the loss-maximizing step of a linearized loss in
 * the L-infinity ball of radius epsilon.
 */
public record Fgsm(double epsilon, double low, double high) implements AdversarialAttack {
    public Fgsm {
        if (!(epsilon >= 0 && Double.isFinite(epsilon))) throw new IllegalArgumentException("FGSM epsilon must be >= 0, got " + epsilon);
        if (!(low < high)) throw new IllegalArgumentException("the data range needs low < high, got [" + low + ", " + high + "]");
    }

    @Override
    public float[] perturb(Module model, Loss loss, float[] x, int[] shape, Tensor targets, Rng rng) {
        float[] g = InputGradient.of(model, loss, x, shape, targets);
        float[] adv = x.clone();
        for (int i = 0; i < adv.length; i++) adv[i] += (float) (epsilon * Math.signum(g[i]));
        AdversarialAttack.clip(adv, low, high);
        return adv;
    }
}
