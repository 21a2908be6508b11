package dev.ravine.doctor.curvature;

/**
 * A symmetric linear map on R^n known only through its action on vectors: the Hessian (through Hessian-vector
 * products) or a symmetric transform of it. The eigen-solvers here need nothing else, so they never form the matrix.
 */
public interface SymmetricOperator {
    /** n, the length of the vectors this operator acts on. */
    int dimension();

    /** A v, for v of length {@link #dimension()}; v is not modified. */
    double[] apply(double[] v);
}
