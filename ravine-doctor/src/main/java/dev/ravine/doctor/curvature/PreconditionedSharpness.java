package dev.ravine.doctor.curvature;

import dev.ravine.linalg.DenseVectors;

/**
 * The largest eigenvalue of the preconditioned Hessian P^{-1} H for a diagonal, positive preconditioner P: the
 * quantity that sits at the stability threshold when an adaptive method trains at the "adaptive edge of stability"
 * (Cohen, Ghorbani, Krishnan et al., "Adaptive Gradient Methods at the Edge of Stability", arXiv 2207.14484, 2022).
 *
 * <p>P^{-1} H is not symmetric, but it is similar to S = P^{-1/2} H P^{-1/2} (same eigenvalues, all real), and S is
 * what the power iteration runs on: S u = lambda u gives P^{-1} H x = lambda x for x = P^{-1/2} u. Each application of
 * S costs one Hessian-vector product.
 *
 * <p>Thresholds to compare the result with (each is the divergence point of that method on a quadratic with the
 * preconditioner frozen): gradient descent 2/lr (Cohen et al., ICLR 2021), heavy-ball momentum (2 + 2 beta)/lr, and
 * Adam (2 + 2 beta1) / (lr (1 - beta1)), which is 38/lr for beta1 = 0.9 (Cohen et al. 2022, abstract: "For Adam with
 * step size eta and beta1 = 0.9, this stability threshold is 38/eta").
 */
public final class PreconditionedSharpness {
    private PreconditionedSharpness() {}

    /**
     * @param preconditionerDiagonal P's diagonal, flat over the parameters like the Hessian's vectors, all > 0
     * @return value = lambda_max(P^{-1} H); vector = the matching unit eigenvector x of P^{-1} H; residual = that of
     *         the symmetric form S
     */
    public static CurvatureReport compute(SymmetricOperator hessian, double[] preconditionerDiagonal, PowerIterationOptions options) {
        return compute(hessian, preconditionerDiagonal, options, null);
    }

    /**
     * As {@link #compute(SymmetricOperator, double[], PowerIterationOptions)}, warm-started.
     *
     * @param start a previous result's {@code vector} (an eigenvector x of P^-1 H), or null for a random start
     */
    public static CurvatureReport compute(SymmetricOperator hessian, double[] preconditionerDiagonal, PowerIterationOptions options,
                                          double[] start) {
        double[] inverseSqrt = inverseSquareRoots(preconditionerDiagonal, hessian.dimension());
        CurvatureReport s = HessianTopEigen.largest(symmetricForm(hessian, inverseSqrt), options, symmetricStart(start, inverseSqrt));
        return inPreconditionedCoordinates(s, inverseSqrt);
    }

    /** The same eigenvalue by {@link HessianTopEigen#lanczos} on the symmetric form, warm-started from {@code start} (or null). */
    public static CurvatureReport lanczos(SymmetricOperator hessian, double[] preconditionerDiagonal, LanczosOptions options, double[] start) {
        double[] inverseSqrt = inverseSquareRoots(preconditionerDiagonal, hessian.dimension());
        CurvatureReport s = HessianTopEigen.lanczos(symmetricForm(hessian, inverseSqrt), options, symmetricStart(start, inverseSqrt));
        return inPreconditionedCoordinates(s, inverseSqrt);
    }

    /** S = P^-1/2 H P^-1/2, one Hessian-vector product per application. */
    private static SymmetricOperator symmetricForm(SymmetricOperator hessian, double[] inverseSqrt) {
        return new SymmetricOperator() {
            @Override
            public int dimension() {
                return hessian.dimension();
            }

            @Override
            public double[] apply(double[] v) {
                double[] hv = hessian.apply(scaled(v, inverseSqrt));
                return scaled(hv, inverseSqrt);
            }
        };
    }

    /** x = P^-1/2 u, so the symmetric form's iterate for a previous x is u = P^1/2 x. */
    private static double[] symmetricStart(double[] start, double[] inverseSqrt) {
        return start == null ? null : scaled(start, inverseOf(inverseSqrt));
    }

    private static CurvatureReport inPreconditionedCoordinates(CurvatureReport s, double[] inverseSqrt) {
        double[] x = DenseVectors.normalized(scaled(s.vector(), inverseSqrt));
        return new CurvatureReport(s.value(), x, s.iterations(), s.hvps(), s.converged(), s.residual());
    }

    /** Adam's preconditioner diag(sqrt(v_hat) + eps), v_hat the bias-corrected second moment, flat. */
    public static double[] adamPreconditioner(double[] secondMomentHat, double epsilon) {
        double[] p = new double[secondMomentHat.length];
        for (int i = 0; i < p.length; i++) p[i] = Math.sqrt(secondMomentHat[i]) + epsilon;
        return p;
    }

    /** 2/lr: gradient descent diverges along an eigenvector whose eigenvalue exceeds it. */
    public static double gradientDescentThreshold(double learningRate) {
        return 2 / learningRate;
    }

    /** (2 + 2 beta)/lr for heavy-ball momentum beta. */
    public static double heavyBallThreshold(double learningRate, double beta) {
        return (2 + 2 * beta) / learningRate;
    }

    /** (2 + 2 beta1) / (lr (1 - beta1)) for Adam's preconditioned sharpness; 38/lr at beta1 = 0.9. */
    public static double adamThreshold(double learningRate, double beta1) {
        return (2 + 2 * beta1) / (learningRate * (1 - beta1));
    }

    private static double[] inverseSquareRoots(double[] diagonal, int dimension) {
        if (diagonal.length != dimension) {
            throw new IllegalArgumentException("preconditioner has " + diagonal.length + " entries for " + dimension + " parameters");
        }
        double[] out = new double[dimension];
        for (int i = 0; i < dimension; i++) {
            if (!(diagonal[i] > 0)) throw new IllegalArgumentException("preconditioner entry " + i + " is " + diagonal[i] + ": must be > 0");
            out[i] = 1 / Math.sqrt(diagonal[i]);
        }
        return out;
    }

    private static double[] inverseOf(double[] d) {
        double[] out = new double[d.length];
        for (int i = 0; i < d.length; i++) out[i] = 1 / d[i];
        return out;
    }

    private static double[] scaled(double[] v, double[] d) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[i] * d[i];
        return out;
    }
}
