package dev.ravine.doctor.curvature;

import dev.ravine.train.StopRequest;
import dev.ravine.autograd.Autograd;
import dev.ravine.autograd.GradMode;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Exact Hessian-vector products of a loss with respect to a list of parameters, by double backward (Pearlmutter
 * 1994): H v = d/dtheta (g(theta) . v) with g = dL/dtheta recorded with createGraph. No finite differences.
 *
 * <p>The first-order gradient graph is built once and differentiated again for every v: the tape's backward
 * closures free nothing, so the same graph serves any number of products at the cost of one backward pass each.
 * The loss closure must be deterministic (fixed batch; model in eval mode, or dropout handled by the caller); after
 * the parameters change, call {@link #rebuild()}.
 *
 * <p>Vectors are flat {@code double[]} over all parameters, in list order and each tensor's row-major order; the
 * float tensors are converted at the boundary so the linear algebra around the products runs in double.
 */
public final class HessianVectorProduct implements SymmetricOperator {
    private final Supplier<Tensor> loss;
    private final List<Tensor> parameters;
    private final int dimension;
    private List<Tensor> gradient;
    private long count;

    public HessianVectorProduct(Supplier<Tensor> loss, List<Tensor> parameters) {
        if (parameters.isEmpty()) throw new IllegalArgumentException("no parameters: pass the tensors to differentiate by");
        for (Tensor p : parameters) {
            if (!p.requiresGrad()) throw new IllegalArgumentException("parameter " + p.name() + " does not require grad");
        }
        this.loss = loss;
        this.parameters = List.copyOf(parameters);
        int n = 0;
        for (Tensor p : parameters) n += p.numel();
        this.dimension = n;
        rebuild();
    }

    /** Re-evaluates the loss and records a fresh gradient graph: needed after the parameters were changed. */
    public void rebuild() {
        try (var scope = GradMode.set(true)) {
            gradient = Autograd.grad(loss.get(), parameters, null, true);
        }
    }

    @Override
    public int dimension() {
        return dimension;
    }

    public List<Tensor> parameters() {
        return parameters;
    }

    /** The loss gradient at the point the graph was built, flat. */
    public double[] gradient() {
        return flatten(gradient);
    }

    /** H v for a flat v. */
    @Override
    public double[] apply(double[] v) {
        return flatten(apply(unflatten(v)));
    }

    /** H v for v given per parameter (same shapes as the parameters). */
    public List<Tensor> apply(List<Tensor> v) {
        if (v.size() != parameters.size()) {
            throw new IllegalArgumentException("v has " + v.size() + " parts for " + parameters.size() + " parameters");
        }
        StopRequest.throwIfRaised(); // an analysis takes tens of these: a stop waits for one at most
        Tensor gradDotV = null;
        try (var scope = GradMode.set(true)) {
            for (int i = 0; i < gradient.size(); i++) {
                Tensor term = gradient.get(i).mul(v.get(i).detach()).sum();
                gradDotV = gradDotV == null ? term : gradDotV.add(term);
            }
        }
        count++;
        // The loss may not depend on the gradient at all (a linear loss): then H = 0.
        if (!gradDotV.requiresGrad()) return zerosLikeParameters();
        return Autograd.grad(gradDotV, parameters, null, false);
    }

    /** Hessian-vector products computed so far. */
    public long count() {
        return count;
    }

    /** Concatenates per-parameter tensors into one double vector. */
    public double[] flatten(List<Tensor> parts) {
        double[] flat = new double[dimension];
        int at = 0;
        for (Tensor t : parts) {
            float[] values = t.values();
            for (float x : values) flat[at++] = x;
        }
        if (at != dimension) throw new IllegalArgumentException("parts hold " + at + " values, parameters " + dimension);
        return flat;
    }

    /** Splits a flat vector into tensors shaped like the parameters. */
    public List<Tensor> unflatten(double[] flat) {
        if (flat.length != dimension) {
            throw new IllegalArgumentException("vector of length " + flat.length + " for " + dimension + " parameters");
        }
        List<Tensor> parts = new ArrayList<>(parameters.size());
        int at = 0;
        for (Tensor p : parameters) {
            float[] values = new float[p.numel()];
            for (int i = 0; i < values.length; i++) values[i] = (float) flat[at++];
            parts.add(Tensor.of(values, p.shape()));
        }
        return parts;
    }

    private List<Tensor> zerosLikeParameters() {
        List<Tensor> zeros = new ArrayList<>(parameters.size());
        for (Tensor p : parameters) zeros.add(Tensor.zeros(p.shape()));
        return zeros;
    }
}
