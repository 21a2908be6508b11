package dev.ravine.pretrain;

import dev.ravine.tensor.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Trains an {@link Rbm} by CD-k or persistent CD with momentum and weight decay (Hinton, "A practical guide to
 * training restricted Boltzmann machines", 2010):
 * <pre>
 *   velocity = momentum * velocity + lr * (gradient - weightDecay * W)     (no decay on biases)
 *   W += velocity
 * </pre>
 * Samples are shuffled every epoch with the given {@link Rng}, which also draws every Gibbs sample, so a seed fixes
 * the whole training. A non-finite reconstruction error stops training at the batch where it first appears.
 */
public final class RbmTrainer {
    /** How many training (and held-out) samples the per-epoch free energy is averaged over. */
    public static final int MONITOR_SAMPLES = 1000;

    private final RbmOptions options;

    public RbmTrainer(RbmOptions options) {
        this.options = java.util.Objects.requireNonNull(options, "options");
    }

    /**
     * Trains {@code rbm} in place on n samples {@code data} [n, visible].
     *
     * @param heldOut  samples [heldOutCount, visible] for the free-energy comparison, or null
     * @param onEpoch  told each epoch's figures as soon as it ends, or null
     * @return every epoch's figures, in order
     */
    public List<RbmEpoch> train(Rbm rbm, float[] data, int n, float[] heldOut, int heldOutCount, Rng rng,
                                Consumer<RbmEpoch> onEpoch) {
        int nv = rbm.visible();
        if (n < 1 || data.length < (long) n * nv) {
            throw new IllegalArgumentException("RBM training needs at least one sample of " + nv + " values, got " + n
                    + " samples in " + data.length + " values");
        }
        ContrastiveDivergence cd = new ContrastiveDivergence(options.cdK(), options.persistent(), options.batchSize());
        float[] weightVelocity = new float[rbm.weights.length];
        float[] visibleVelocity = new float[nv];
        float[] hiddenVelocity = new float[rbm.hidden()];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        float[] trainMonitor = firstRows(data, Math.min(n, MONITOR_SAMPLES), nv);
        int heldOutMonitor = heldOut == null ? 0 : Math.min(heldOutCount, MONITOR_SAMPLES);
        List<RbmEpoch> epochs = new ArrayList<>();
        for (int epoch = 1; epoch <= options.epochs(); epoch++) {
            long start = System.nanoTime();
            rng.shuffle(order);
            double errorSum = 0;
            for (int from = 0; from < n; from += options.batchSize()) {
                int size = Math.min(options.batchSize(), n - from);
                float[] batch = gather(data, order, from, size, nv);
                RbmGradient g = cd.gradient(rbm, batch, size, rng);
                if (!Double.isFinite(g.reconstructionError())) {
                    throw new ArithmeticException("RBM " + nv + "x" + rbm.hidden() + ": the reconstruction error became "
                            + g.reconstructionError() + " in epoch " + epoch + " at sample " + from
                            + "; lower the learning rate (now " + options.lr() + ") or check the inputs for NaN/Inf");
                }
                errorSum += g.reconstructionError() * size;
                update(rbm.weights, weightVelocity, g.weights(), options.weightDecay());
                update(rbm.visibleBias, visibleVelocity, g.visibleBias(), 0);
                update(rbm.hiddenBias, hiddenVelocity, g.hiddenBias(), 0);
            }
            double trainF = rbm.meanFreeEnergy(trainMonitor, trainMonitor.length / nv);
            double heldOutF = heldOutMonitor == 0 ? Double.NaN : rbm.meanFreeEnergy(heldOut, heldOutMonitor);
            RbmEpoch e = new RbmEpoch(epoch, errorSum / n, trainF, heldOutF, (System.nanoTime() - start) / 1e9);
            epochs.add(e);
            if (onEpoch != null) onEpoch.accept(e);
        }
        return epochs;
    }

    private void update(float[] param, float[] velocity, float[] gradient, double decay) {
        float momentum = (float) options.momentum(), lr = (float) options.lr(), wd = (float) decay;
        for (int i = 0; i < param.length; i++) {
            velocity[i] = momentum * velocity[i] + lr * (gradient[i] - wd * param[i]);
            param[i] += velocity[i];
        }
    }

    private static float[] gather(float[] data, int[] order, int from, int size, int nv) {
        float[] batch = new float[size * nv];
        for (int r = 0; r < size; r++) System.arraycopy(data, order[from + r] * nv, batch, r * nv, nv);
        return batch;
    }

    private static float[] firstRows(float[] data, int rows, int nv) {
        return java.util.Arrays.copyOf(data, rows * nv);
    }
}
