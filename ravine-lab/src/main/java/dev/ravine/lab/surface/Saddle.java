package dev.ravine.lab.surface;

import dev.ravine.tensor.Tensor;

/**
 * A saddle with a floor: f = x² − y² + y⁴/2. The origin is a saddle point (Hessian eigenvalues 2 and −2; the gradient
 * vanishes there); the minima are at (0, ±1), f = −1/2. Started on the ridge just off y = 0, an optimizer must leave
 * along the negative-curvature direction y, where the gradient is tiny at first.
 */
public record Saddle() implements Surface {
    @Override
    public String name() {
        return "saddle";
    }

    @Override
    public String formula() {
        return "f(x, y) = x² − y² + y⁴/2";
    }

    @Override
    public Tensor value(Tensor x, Tensor y) {
        return x.square().sub(y.square()).add(y.square().square().mul(0.5f));
    }

    @Override
    public double[] region() {
        return new double[] {-2, 2, -1.6, 1.6};
    }

    @Override
    public double[] start() {
        return new double[] {-1.8, 1e-3};
    }

    @Override
    public double[] minimum() {
        return new double[] {0, 1};
    }
}
