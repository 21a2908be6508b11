package dev.ravine.nn;

import dev.ravine.autograd.GradMode;
import dev.ravine.tensor.Shape;
import dev.ravine.tensor.Tensor;
import dev.ravine.tensor.TensorShapeException;
import java.util.Arrays;

/**
 * Batch renormalization (Ioffe, 2017): batch norm whose training output is corrected toward what inference will
 * compute from the running statistics, so that training and inference agree even for small or non-i.i.d. batches.
 * Over the channel axis 1 (like {@link BatchNorm}), with batch mean mu_B and sigma_B = sqrt(biased var_B + eps):
 * <pre>
 *   r = clip(sigma_B / sigma, 1 / r_max, r_max)      d = clip((mu_B - mu) / sigma, -d_max, d_max)   (both constants
 *   y = gamma * ((x - mu_B) / sigma_B * r + d) + beta                                                  in backward)
 *   mu += momentum * (mu_B - mu)                     sigma += momentum * (sigma_B - sigma)
 * </pre>
 * and in eval {@code y = gamma * (x - mu) / sigma + beta}. The running mean mu ({@code running_mean}, starting at 0) and
 * running standard deviation sigma ({@code running_std}, starting at 1) are the paper's; r_max and d_max follow a
 * {@link RenormSchedule} of the count of training forwards ({@code num_batches_tracked}), which checkpoints keep.
 *
 * <p>The configs' default momentum is 0.01 (a choice of Ravine's, not a number from the paper): unlike batch norm's,
 * these running statistics act during training through r and d, so they must follow the changing layer input, which
 * is why the paper's experiments update them "relatively fast"; a larger momentum makes r and d noisier.
 */
public final class BatchRenorm extends Module {
    private final int features, spatialRank;
    private final float eps, momentum;
    private final RenormSchedule schedule;
    private final Tensor gamma, beta, runningMean, runningStd, batchesTracked;

    private BatchRenorm(int features, int spatialRank, double eps, double momentum, RenormSchedule schedule) {
        if (features <= 0) throw new IllegalArgumentException("batchrenorm needs a positive number of features, got " + features);
        if (!(eps > 0)) throw new IllegalArgumentException("batchrenorm eps must be positive, got " + eps);
        if (!(momentum >= 0 && momentum <= 1)) throw new IllegalArgumentException("batchrenorm momentum must be in [0, 1], got " + momentum);
        this.features = features;
        this.spatialRank = spatialRank;
        this.eps = (float) eps;
        this.momentum = (float) momentum;
        this.schedule = schedule;
        gamma = registerParameter("weight", Tensor.ones(features));
        beta = registerParameter("bias", Tensor.zeros(features));
        runningMean = registerBuffer("running_mean", Tensor.zeros(features));
        runningStd = registerBuffer("running_std", Tensor.ones(features));
        batchesTracked = registerBuffer("num_batches_tracked", Tensor.zeros(1));
    }

    /** Over [n, c] or [n, c, l] inputs, as BatchNorm1d. */
    public static BatchRenorm of1d(int features, double eps, double momentum, RenormSchedule schedule) {
        return new BatchRenorm(features, 1, eps, momentum, schedule);
    }

    /** Over [n, c, h, w] inputs, as BatchNorm2d. */
    public static BatchRenorm of2d(int features, double eps, double momentum, RenormSchedule schedule) {
        return new BatchRenorm(features, 2, eps, momentum, schedule);
    }

    public Tensor runningMean() {
        return runningMean;
    }

    public Tensor runningStd() {
        return runningStd;
    }

    /** The number of training forwards so far: the step of {@link RenormSchedule}. */
    public long step() {
        return (long) batchesTracked.storage()[0];
    }

    @Override
    protected Tensor forward(Tensor x) {
        if (x.dim() < 2 || x.size(1) != features) {
            throw new TensorShapeException("batchrenorm expects " + features + " channels on axis 1, got shape " + Shape.str(x.shape()));
        }
        int[] axes = reducedAxes(x.dim());
        int[] channelShape = new int[x.dim()];
        Arrays.fill(channelShape, 1);
        channelShape[1] = features;
        Tensor normalized;
        if (isTraining()) {
            int count = x.numel() / features;
            if (count <= 1) {
                throw new TensorShapeException("batchrenorm in training needs more than 1 value per channel, got input shape " + Shape.str(x.shape()));
            }
            Tensor mean = x.mean(axes, true);
            Tensor centered = x.sub(mean);
            Tensor std = centered.square().mean(axes, true).add(eps).sqrt();
            Tensor[] rd = corrections(mean.values(), std.values(), channelShape);
            normalized = centered.div(std).mul(rd[0]).add(rd[1]);
            updateRunningStats(mean.values(), std.values());
        } else {
            normalized = x.sub(runningMean.reshape(channelShape)).div(runningStd.reshape(channelShape));
        }
        return normalized.mul(gamma.reshape(channelShape)).add(beta.reshape(channelShape));
    }

    /** r and d from this batch's statistics and the running ones: new constant tensors, so no gradient flows into them. */
    private Tensor[] corrections(float[] batchMean, float[] batchStd, int[] channelShape) {
        long step = step();
        double rMax = schedule.rMaxAt(step), dMax = schedule.dMaxAt(step);
        float[] mu = runningMean.storage(), sigma = runningStd.storage();
        float[] r = new float[features], d = new float[features];
        for (int c = 0; c < features; c++) {
            r[c] = (float) clip((double) batchStd[c] / sigma[c], 1 / rMax, rMax);
            d[c] = (float) clip(((double) batchMean[c] - mu[c]) / sigma[c], -dMax, dMax);
        }
        return new Tensor[] {Tensor.of(r, channelShape), Tensor.of(d, channelShape)};
    }

    private static double clip(double value, double low, double high) {
        return Math.max(low, Math.min(high, value));
    }

    private void updateRunningStats(float[] batchMean, float[] batchStd) {
        try (var scope = GradMode.noGrad()) {
            float[] mu = runningMean.storage(), sigma = runningStd.storage();
            for (int c = 0; c < features; c++) {
                mu[c] += momentum * (batchMean[c] - mu[c]);
                sigma[c] += momentum * (batchStd[c] - sigma[c]);
            }
            batchesTracked.storage()[0] += 1;
        }
    }

    private static int[] reducedAxes(int rank) {
        int[] axes = new int[rank - 1];
        for (int i = 2; i < rank; i++) axes[i - 1] = i;
        return axes;
    }

    @Override
    public String kind() {
        return spatialRank == 2 ? "batchrenorm2d" : "batchrenorm1d";
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length == 0 || in[0] != features) {
            throw new TensorShapeException("expects " + features + " channels, got input " + Shape.str(in));
        }
        if (spatialRank == 2 && in.length != 3) throw new TensorShapeException("batchrenorm2d expects [channels, height, width], got " + Shape.str(in));
        return in;
    }
}
