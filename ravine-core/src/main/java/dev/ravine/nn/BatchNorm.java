package dev.ravine.nn;

import dev.ravine.autograd.GradMode;
import dev.ravine.tensor.Shape;
import dev.ravine.tensor.Tensor;
import dev.ravine.tensor.TensorShapeException;

/**
 * Batch normalization over the channel axis 1 (Ioffe and Szegedy, 2015), with PyTorch's semantics: in training,
 * normalize by the batch mean and biased variance and update running_mean/running_var with momentum
 * (running = (1 - momentum) running + momentum batch, using the unbiased variance); at inference use the running
 * statistics. gamma starts at 1 and beta at 0. {@link #of1d} takes [n, c] or [n, c, l]; {@link #of2d} takes
 * [n, c, h, w].
 */
public final class BatchNorm extends Module {
    private final int features, spatialRank;
    private final float eps, momentum;
    private final Tensor gamma, beta, runningMean, runningVar, batchesTracked;

    private BatchNorm(int features, int spatialRank, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        if (features <= 0) throw new IllegalArgumentException("batchnorm needs a positive number of features, got " + features);
        this.features = features;
        this.spatialRank = spatialRank;
        this.eps = (float) eps;
        this.momentum = (float) momentum;
        gamma = affine ? registerParameter("weight", Tensor.ones(features)) : null;
        beta = affine ? registerParameter("bias", Tensor.zeros(features)) : null;
        runningMean = trackRunningStats ? registerBuffer("running_mean", Tensor.zeros(features)) : null;
        runningVar = trackRunningStats ? registerBuffer("running_var", Tensor.ones(features)) : null;
        batchesTracked = trackRunningStats ? registerBuffer("num_batches_tracked", Tensor.zeros(1)) : null;
    }

    /**
     * torch's affine (false: no weight and bias) and track_running_stats (false: no running statistics; eval then
     * normalizes by the batch's own statistics, as in training).
     */
    public static BatchNorm of(int features, boolean twoD, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        return new BatchNorm(features, twoD ? 2 : 0, eps, momentum, affine, trackRunningStats);
    }

    public static BatchNorm of1d(int features) {
        return new BatchNorm(features, 0, 1e-5, 0.1, true, true);
    }

    public static BatchNorm of1d(int features, double eps, double momentum) {
        return new BatchNorm(features, 0, eps, momentum, true, true);
    }

    public static BatchNorm of2d(int features) {
        return new BatchNorm(features, 2, 1e-5, 0.1, true, true);
    }

    public static BatchNorm of2d(int features, double eps, double momentum) {
        return new BatchNorm(features, 2, eps, momentum, true, true);
    }

    public Tensor runningMean() {
        return runningMean;
    }

    public Tensor runningVar() {
        return runningVar;
    }

    public float eps() {
        return eps;
    }

    @Override
    protected Tensor forward(Tensor x) {
        if (x.dim() < 2 || x.size(1) != features) {
            throw new TensorShapeException("batchnorm expects " + features + " channels on axis 1, got shape " + Shape.str(x.shape()));
        }
        int[] axes = reducedAxes(x.dim());
        int[] bshape = broadcastShape(x.dim());
        Tensor mean, var;
        if (isTraining() || runningMean == null) {
            int count = x.numel() / features;
            if (count <= 1) {
                throw new TensorShapeException("batchnorm in training needs more than 1 value per channel, got input shape " + Shape.str(x.shape()));
            }
            mean = x.mean(axes, true);
            Tensor centered = x.sub(mean);
            var = centered.square().mean(axes, true);
            if (runningMean != null) updateRunningStats(mean, var, count);
            return affine(centered.div(var.add(eps).sqrt()), bshape);
        }
        mean = runningMean.reshape(bshape);
        var = runningVar.reshape(bshape);
        return affine(x.sub(mean).div(var.add(eps).sqrt()), bshape);
    }

    private Tensor affine(Tensor normalized, int[] bshape) {
        return gamma == null ? normalized : normalized.mul(gamma.reshape(bshape)).add(beta.reshape(bshape));
    }

    private void updateRunningStats(Tensor mean, Tensor var, int count) {
        try (var scope = GradMode.noGrad()) {
            float[] m = mean.values(), v = var.values();
            float[] rm = runningMean.storage(), rv = runningVar.storage();
            float unbias = (float) count / (count - 1);
            for (int c = 0; c < features; c++) {
                rm[c] = (1 - momentum) * rm[c] + momentum * m[c];
                rv[c] = (1 - momentum) * rv[c] + momentum * v[c] * unbias;
            }
            batchesTracked.storage()[0] += 1;
        }
    }

    private int[] reducedAxes(int rank) {
        int[] axes = new int[rank - 1];
        axes[0] = 0;
        for (int i = 2; i < rank; i++) axes[i - 1] = i;
        return axes;
    }

    private int[] broadcastShape(int rank) {
        int[] s = new int[rank];
        java.util.Arrays.fill(s, 1);
        s[1] = features;
        return s;
    }

    @Override
    public String kind() {
        return spatialRank == 2 ? "batchnorm2d" : "batchnorm1d";
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length == 0 || in[0] != features) {
            throw new TensorShapeException("expects " + features + " channels, got input " + Shape.str(in));
        }
        if (spatialRank == 2 && in.length != 3) throw new TensorShapeException("batchnorm2d expects [channels, height, width], got " + Shape.str(in));
        return in;
    }
}
