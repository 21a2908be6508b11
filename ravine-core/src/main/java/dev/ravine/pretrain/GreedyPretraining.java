package dev.ravine.pretrain;

import dev.ravine.autograd.GradMode;
import dev.ravine.nn.Activation;
import dev.ravine.nn.Dropout;
import dev.ravine.nn.Linear;
import dev.ravine.nn.Module;
import dev.ravine.nn.Sequential;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Greedy layer-wise pre-training (Hinton, Osindero and Teh, 2006; Hinton and Salakhutdinov, 2006) of the
 * linear -> sigmoid blocks of a feed-forward net: block by block, in order, an RBM of the linear layer's sizes (small
 * random weights, visible biases fitted to its inputs' marginals, {@link Rbm#fitVisibleBiases}) is trained on what
 * the net feeds that linear layer, then its weights and hidden biases are copied into it
 * ({@link Rbm#copyTo}), so the block computes the RBM's hidden probabilities. The next block's input is computed by
 * the net itself from the updated layers; for two blocks in a row that is exactly the previous RBM's p(h | v).
 * Fine-tuning the whole net with backprop follows, by the ordinary trainer.
 *
 * <p>The first block's RBM has the given visible units; a later block right after a sigmoid (dropout between them
 * aside) sees probabilities in (0, 1), so its RBM has Bernoulli visible units (otherwise the given kind).
 */
public final class GreedyPretraining {
    /** Samples pushed through the net at a time when computing a block's inputs. */
    private static final int FORWARD_BATCH = 512;

    /** A linear layer at {@code index} of the net, followed by a sigmoid, and the visible units of its RBM. */
    public record Block(int index, Linear linear, VisibleUnits units) {}

    /** The RBM trained for a block and its epochs' figures. */
    public record PretrainedBlock(Block block, Rbm rbm, List<RbmEpoch> epochs) {}

    /** Told each RBM epoch as it ends; {@code blockNumber} counts blocks from 0. */
    public interface Listener {
        void epoch(int blockNumber, Block block, RbmEpoch epoch);
    }

    private GreedyPretraining() {}

    /** The linear -> sigmoid blocks of {@code net}, in order (top-level layers only). */
    public static List<Block> blocks(Sequential net, VisibleUnits firstUnits) {
        List<Module> layers = net.layers();
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i + 1 < layers.size(); i++) {
            if (layers.get(i) instanceof Linear linear && isSigmoid(layers.get(i + 1))) {
                int before = i - 1;
                while (before >= 0 && layers.get(before) instanceof Dropout) before--; // identity at inference
                boolean afterSigmoid = before >= 0 && isSigmoid(layers.get(before));
                VisibleUnits units = blocks.isEmpty() ? firstUnits : afterSigmoid ? VisibleUnits.BERNOULLI : firstUnits;
                blocks.add(new Block(i, linear, units));
            }
        }
        return blocks;
    }

    /**
     * Pre-trains every block of {@code net} on n samples {@code inputs} [n, ...sampleShape] (what the net takes) and
     * copies each RBM into its linear layer.
     *
     * @param heldOut held-out samples of the same shape for the free-energy comparison, or null
     * @throws IllegalArgumentException when the net has no linear -> sigmoid block, or a block's linear layer has no
     *                                  bias or a computed (weight- or spectral-normalized) weight
     */
    public static List<PretrainedBlock> pretrain(Sequential net, VisibleUnits firstUnits, float[] inputs, int n,
                                                 int[] sampleShape, float[] heldOut, int heldOutCount,
                                                 RbmOptions options, Rng rng, Listener listener) {
        List<Block> blocks = blocks(net, firstUnits);
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("the model has no linear layer followed by a sigmoid to pre-train as an RBM");
        }
        for (Block b : blocks) {
            if (b.linear().bias() == null) {
                throw new IllegalArgumentException("the linear layer " + b.index() + " has no bias to hold the RBM's hidden "
                        + "biases; give it one");
            }
            try {
                b.linear().weight(); // refused when the weight is computed (weight or spectral normalization)
            } catch (IllegalStateException e) {
                throw new IllegalArgumentException("the linear layer " + b.index() + " cannot take the RBM's weights: "
                        + e.getMessage(), e);
            }
        }
        boolean wasTraining = net.isTraining();
        net.eval(); // the inputs of a block are what the net computes at inference (no dropout)
        try {
            List<PretrainedBlock> done = new ArrayList<>();
            Activations train = new Activations(inputs, n, sampleShape);
            Activations held = heldOut == null ? null : new Activations(heldOut, heldOutCount, sampleShape);
            int from = 0;
            for (Block b : blocks) {
                train = train.through(net, from, b.index());
                if (held != null) held = held.through(net, from, b.index());
                from = b.index();
                int[] w = b.linear().weight().shape();
                Rbm rbm = new Rbm(w[1], w[0], b.units(), rng);
                rbm.fitVisibleBiases(train.values, train.count);
                int number = done.size();
                List<RbmEpoch> epochs = new RbmTrainer(options).train(rbm, train.values, train.count,
                        held == null ? null : held.values, held == null ? 0 : held.count, rng,
                        listener == null ? null : e -> listener.epoch(number, b, e));
                rbm.copyTo(b.linear());
                done.add(new PretrainedBlock(b, rbm, epochs));
            }
            return done;
        } finally {
            net.train(wasTraining);
        }
    }

    private static boolean isSigmoid(Module m) {
        return m instanceof Activation a && a.activation() == Activation.Kind.SIGMOID;
    }

    /** n samples of one shape, as flat values. */
    private record Activations(float[] values, int count, int[] sampleShape) {
        /** These samples pushed through layers [from, to) of the net, in batches, without recording gradients. */
        Activations through(Sequential net, int from, int to) {
            if (from == to) return this;
            List<Module> layers = net.layers().subList(from, to);
            int size = values.length / count;
            float[] out = null;
            int[] outShape = null;
            try (GradMode.Scope ignored = GradMode.noGrad()) {
                for (int start = 0; start < count; start += FORWARD_BATCH) {
                    int rows = Math.min(FORWARD_BATCH, count - start);
                    int[] shape = new int[sampleShape.length + 1];
                    shape[0] = rows;
                    System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
                    Tensor x = Tensor.of(Arrays.copyOfRange(values, start * size, (start + rows) * size), shape);
                    for (Module layer : layers) x = layer.call(x);
                    float[] y = x.toArray();
                    if (out == null) {
                        outShape = Arrays.copyOfRange(x.shape(), 1, x.dim());
                        out = new float[count * (y.length / rows)];
                    }
                    System.arraycopy(y, 0, out, start * (y.length / rows), y.length);
                }
            }
            return new Activations(out, count, outShape);
        }
    }
}
