package dev.ravine.lab.surface;

import dev.ravine.tensor.Tensor;

/**
 * Beale's function, f = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²: flat plateaus and steep walls,
 * minimum f = 0 at (3, 0.5).
 */
public record Beale() implements Surface {
    @Override
    public String name() {
        return "beale";
    }

    @Override
    public String formula() {
        return "f(x, y) = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²";
    }

    @Override
    public Tensor value(Tensor x, Tensor y) {
        Tensor y2 = y.square();
        Tensor a = x.mul(y).sub(x).add(1.5f);
        Tensor b = x.mul(y2).sub(x).add(2.25f);
        Tensor c = x.mul(y2.mul(y)).sub(x).add(2.625f);
        return a.square().add(b.square()).add(c.square());
    }

    @Override
    public double[] region() {
        return new double[] {-1, 4.5, -1.5, 1.8};
    }

    @Override
    public double[] start() {
        return new double[] {1.0, 1.5};
    }

    @Override
    public double[] minimum() {
        return new double[] {3, 0.5};
    }

    @Override
    public boolean logLevels() {
        return true;
    }
}
