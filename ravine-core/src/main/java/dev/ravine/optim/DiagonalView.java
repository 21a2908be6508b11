package dev.ravine.optim;

import java.util.function.IntToDoubleFunction;

/** A {@link DiagonalPreconditioner.Diagonal} computed on demand from a link's state arrays (nothing copied). */
record DiagonalView(int size, IntToDoubleFunction p, IntToDoubleFunction v) implements DiagonalPreconditioner.Diagonal {
    @Override
    public double at(int i) {
        return p.applyAsDouble(i);
    }

    @Override
    public double secondMoment(int i) {
        return v.applyAsDouble(i);
    }
}
