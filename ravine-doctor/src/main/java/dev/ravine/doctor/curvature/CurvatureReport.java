package dev.ravine.doctor.curvature;

/**
 * One eigenpair estimate of a curvature operator and what it cost.
 *
 * @param value      the eigenvalue estimate (Rayleigh quotient or Ritz value)
 * @param vector     the matching unit eigenvector estimate, flat over all parameters (see {@link HessianVectorProduct})
 * @param iterations power-iteration or Lanczos steps taken
 * @param hvps       Hessian-vector products spent, including any used only to measure the residual
 * @param converged  whether the stopping criterion was met before the iteration limit
 * @param residual   ||A v - value v||, the eigen-equation error of the returned pair
 */
public record CurvatureReport(double value, double[] vector, int iterations, long hvps, boolean converged, double residual) {}
