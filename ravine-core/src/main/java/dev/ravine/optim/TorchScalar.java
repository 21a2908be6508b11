package dev.ravine.optim;

/**
 * A scalar of torch's lbfgs.py as torch holds it: a Python float ({@code tensor == false}, a double) or a 0-dim
 * float32 tensor ({@code tensor == true}), with the arithmetic and comparisons of their mix (a tensor on either side
 * makes the operation float32), so that {@link Lbfgs} and {@link StrongWolfe} round exactly where torch does; and
 * torch's {@code _cubic_interpolate} on such scalars.
 */
record TorchScalar(double v, boolean tensor) {
    static TorchScalar py(double v) { return new TorchScalar(v, false); }
    static TorchScalar f32(float v) { return new TorchScalar(v, true); }
    float f() { return (float) v; }

    static TorchScalar add(TorchScalar a, TorchScalar b) { return a.tensor() || b.tensor() ? f32(a.f() + b.f()) : py(a.v() + b.v()); }
    static TorchScalar sub(TorchScalar a, TorchScalar b) { return a.tensor() || b.tensor() ? f32(a.f() - b.f()) : py(a.v() - b.v()); }
    static TorchScalar mul(TorchScalar a, TorchScalar b) { return a.tensor() || b.tensor() ? f32(a.f() * b.f()) : py(a.v() * b.v()); }

    /** a / b; a Python float over a tensor is torch's __rtruediv__: reciprocal(b) * a. */
    static TorchScalar div(TorchScalar a, TorchScalar b) {
        if (a.tensor() && b.tensor()) return f32(a.f() / b.f());
        if (b.tensor()) return f32((1f / b.f()) * a.f());
        if (a.tensor()) return f32(a.f() / b.f());
        return py(a.v() / b.v());
    }

    static TorchScalar abs(TorchScalar a) { return a.tensor() ? f32(Math.abs(a.f())) : py(Math.abs(a.v())); }
    static TorchScalar neg(TorchScalar a) { return a.tensor() ? f32(-a.f()) : py(-a.v()); }

    /** a < b; with a tensor on either side the comparison is in float32. */
    static boolean lt(TorchScalar a, TorchScalar b) { return a.tensor() || b.tensor() ? a.f() < b.f() : a.v() < b.v(); }
    static boolean le(TorchScalar a, TorchScalar b) { return a.tensor() || b.tensor() ? a.f() <= b.f() : a.v() <= b.v(); }
    static boolean gt(TorchScalar a, TorchScalar b) { return lt(b, a); }
    static boolean ge(TorchScalar a, TorchScalar b) { return le(b, a); }

    /** Python's max(a, b): a unless b > a. */
    static TorchScalar pmax(TorchScalar a, TorchScalar b) { return gt(b, a) ? b : a; }
    /** Python's min(a, b): a unless b < a. */
    static TorchScalar pmin(TorchScalar a, TorchScalar b) { return lt(b, a) ? b : a; }


    /** torch's _cubic_interpolate, with the same mix of Python floats and float32 tensors. */
    static TorchScalar cubicInterpolate(TorchScalar x1, TorchScalar f1, TorchScalar g1, TorchScalar x2, TorchScalar f2, TorchScalar g2, TorchScalar minBound, TorchScalar maxBound) {
        TorchScalar xmin, xmax;
        if (minBound != null) {
            xmin = minBound;
            xmax = maxBound;
        } else if (le(x1, x2)) {
            xmin = x1;
            xmax = x2;
        } else {
            xmin = x2;
            xmax = x1;
        }
        TorchScalar d1 = sub(add(g1, g2), div(mul(py(3), sub(f1, f2)), sub(x1, x2)));
        TorchScalar d2Square = sub(mul(d1, d1), mul(g1, g2));
        if (ge(d2Square, py(0))) {
            TorchScalar d2 = d2Square.tensor() ? f32((float) Math.sqrt(d2Square.f())) : py(Math.sqrt(d2Square.v()));
            TorchScalar minPos;
            if (le(x1, x2)) {
                minPos = sub(x2, mul(sub(x2, x1), div(sub(add(g2, d2), d1), add(sub(g2, g1), mul(py(2), d2)))));
            } else {
                minPos = sub(x1, mul(sub(x1, x2), div(sub(add(g1, d2), d1), add(sub(g1, g2), mul(py(2), d2)))));
            }
            return pmin(pmax(minPos, xmin), xmax);
        }
        return div(add(xmin, xmax), py(2.0));
    }
}
