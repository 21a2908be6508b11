package dev.ravine.doctor.curvature;

/**
 * A stochastic trace estimate.
 *
 * @param estimate      the sample mean of z^T H z
 * @param standardError the sample standard deviation over sqrt(samples): the estimate's own uncertainty
 * @param samples       number of probe vectors
 * @param hvps          Hessian-vector products spent (one per probe)
 */
public record TraceEstimate(double estimate, double standardError, int samples, long hvps) {}
