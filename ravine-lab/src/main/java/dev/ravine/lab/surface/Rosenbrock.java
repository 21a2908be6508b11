package dev.ravine.lab.surface;

import dev.ravine.tensor.Tensor;

/** Rosenbrock's banana valley, f = (1 - x)² + 100·(y - x²)²: a curved, narrow, nearly flat valley to the minimum (1, 1). */
public record Rosenbrock() implements Surface {
    @Override
    public String name() {
        return "rosenbrock";
    }

    @Override
    public String formula() {
        return "f(x, y) = (1 − x)² + 100·(y − x²)²";
    }

    @Override
    public Tensor value(Tensor x, Tensor y) {
        return x.rsub(1f).square().add(y.sub(x.square()).square().mul(100f));
    }

    @Override
    public double[] region() {
        return new double[] {-2, 2, -1, 3};
    }

    @Override
    public double[] start() {
        return new double[] {-1.5, 2.0};
    }

    @Override
    public double[] minimum() {
        return new double[] {1, 1};
    }

    @Override
    public boolean logLevels() {
        return true;
    }
}
