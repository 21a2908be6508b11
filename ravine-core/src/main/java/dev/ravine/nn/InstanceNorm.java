package dev.ravine.nn;

import dev.ravine.autograd.GradMode;
import dev.ravine.tensor.Shape;
import dev.ravine.tensor.Tensor;
import dev.ravine.tensor.TensorShapeException;
import java.util.Arrays;

/**
 * Instance normalization (Ulyanov et al., 2016): each channel of each sample is normalized by its own mean and biased
 * variance over the spatial axes, as torch.nn.InstanceNorm1d ([n, c, l]) and InstanceNorm2d ([n, c, h, w]). With
 * {@code affine} a per-channel weight (1) and bias (0) follow. With {@code trackRunningStats} the running mean and
 * (unbiased) variance are updated in training with momentum from the batch average of the instance statistics, and used
 * in eval instead of the instance statistics; without it (torch's default) eval normalizes each instance too.
 */
public final class InstanceNorm extends Module {
    private final int channels, spatialRank;
    private final float eps, momentum;
    private final Tensor weight, bias, runningMean, runningVar, batchesTracked;

    public InstanceNorm(int channels, int spatialRank, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        if (channels <= 0) throw new IllegalArgumentException("instancenorm needs a positive number of channels, got " + channels);
        if (spatialRank != 1 && spatialRank != 2) throw new IllegalArgumentException("instancenorm is 1d or 2d, got " + spatialRank + "d");
        if (!(eps > 0)) throw new IllegalArgumentException("instancenorm eps must be positive, got " + eps);
        if (!(momentum >= 0 && momentum <= 1)) throw new IllegalArgumentException("instancenorm momentum must be in [0, 1], got " + momentum);
        this.channels = channels;
        this.spatialRank = spatialRank;
        this.eps = (float) eps;
        this.momentum = (float) momentum;
        weight = affine ? registerParameter("weight", Tensor.ones(channels)) : null;
        bias = affine ? registerParameter("bias", Tensor.zeros(channels)) : null;
        runningMean = trackRunningStats ? registerBuffer("running_mean", Tensor.zeros(channels)) : null;
        runningVar = trackRunningStats ? registerBuffer("running_var", Tensor.ones(channels)) : null;
        batchesTracked = trackRunningStats ? registerBuffer("num_batches_tracked", Tensor.zeros(1)) : null;
    }

    /** torch's defaults: eps 1e-5, momentum 0.1, no affine, no running statistics. */
    public static InstanceNorm of1d(int channels) {
        return new InstanceNorm(channels, 1, 1e-5, 0.1, false, false);
    }

    public static InstanceNorm of2d(int channels) {
        return new InstanceNorm(channels, 2, 1e-5, 0.1, false, false);
    }

    public float eps() {
        return eps;
    }

    @Override
    protected Tensor forward(Tensor x) {
        int[] s = x.shape();
        if (s.length != spatialRank + 2 || s[1] != channels) {
            throw new TensorShapeException(kind() + " expects [batch, " + channels + (spatialRank == 1 ? ", length]" : ", height, width]")
                    + ", got shape " + Shape.str(s));
        }
        int[] spatial = spatialRank == 1 ? new int[] {2} : new int[] {2, 3};
        int[] channelShape = new int[s.length];
        Arrays.fill(channelShape, 1);
        channelShape[1] = channels;
        Tensor normalized;
        if (runningMean != null && !isTraining()) {
            normalized = x.sub(runningMean.reshape(channelShape)).div(runningVar.reshape(channelShape).add(eps).sqrt());
        } else {
            int count = x.numel() / (s[0] * channels);
            if (count <= 1) {
                throw new TensorShapeException(kind() + " needs more than 1 spatial value per channel, got input shape " + Shape.str(s));
            }
            Tensor mean = x.mean(spatial, true);
            Tensor centered = x.sub(mean);
            Tensor var = centered.square().mean(spatial, true);
            if (runningMean != null) updateRunningStats(mean, var, s[0], count);
            normalized = centered.div(var.add(eps).sqrt());
        }
        return weight == null ? normalized : normalized.mul(weight.reshape(channelShape)).add(bias.reshape(channelShape));
    }

    /** torch's rule: each channel's running value moves toward the batch average of its instances' statistics. */
    private void updateRunningStats(Tensor mean, Tensor var, int batch, int count) {
        try (var scope = GradMode.noGrad()) {
            float[] m = mean.values(), v = var.values();
            float[] rm = runningMean.storage(), rv = runningVar.storage();
            double unbias = (double) count / (count - 1);
            for (int c = 0; c < channels; c++) {
                double meanOfMeans = 0, meanOfVars = 0;
                for (int n = 0; n < batch; n++) {
                    meanOfMeans += m[n * channels + c];
                    meanOfVars += v[n * channels + c] * unbias;
                }
                rm[c] = (float) ((1 - momentum) * rm[c] + momentum * meanOfMeans / batch);
                rv[c] = (float) ((1 - momentum) * rv[c] + momentum * meanOfVars / batch);
            }
            batchesTracked.storage()[0] += 1;
        }
    }

    public boolean tracksRunningStats() {
        return runningMean != null;
    }

    @Override
    public String kind() {
        return spatialRank == 2 ? "instancenorm2d" : "instancenorm1d";
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length != spatialRank + 1 || in[0] != channels) {
            throw new TensorShapeException(kind() + " expects [" + channels + (spatialRank == 1 ? ", length]" : ", height, width]")
                    + ", got " + Shape.str(in));
        }
        return in;
    }
}
