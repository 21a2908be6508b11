package dev.ravine.data;

import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Cuts a data set into mini-batches, epoch after epoch.
 *
 * <p>The sample order of epoch {@code e} is a function of {@code (seed, e)} only, not of how many batches were drawn
 * before, so a run resumed from a checkpoint at (epoch, batch) with {@link #epoch(int, int)} sees exactly the batches
 * the uninterrupted run would have seen, and no random state has to be saved for the data.
 */
public final class DataLoader {
    private final Dataset data;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final long seed;
    private final boolean balanced;

    /**
     * @param batchSize samples per batch
     * @param shuffle   a new random order every epoch; otherwise the data set's order
     * @param dropLast  leave out the last batch of an epoch when it would be smaller than {@code batchSize}
     * @param seed      the seed the per-epoch orders are derived from
     */
    public DataLoader(Dataset data, int batchSize, boolean shuffle, boolean dropLast, long seed) {
        this(data, batchSize, shuffle, dropLast, seed, false);
    }

    /**
     * @param balanced draw each epoch's samples class-balanced, with replacement ({@link BalancedSampling}); the
     *     order is then random whatever {@code shuffle} says
     */
    public DataLoader(Dataset data, int batchSize, boolean shuffle, boolean dropLast, long seed, boolean balanced) {
        if (balanced && !data.isClassification()) {
            throw new IllegalArgumentException("a balanced sampler draws by class, but this data set has regression targets");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.data = data;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.seed = seed;
        this.balanced = balanced;
    }

    public Dataset dataset() {
        return data;
    }

    public int batchSize() {
        return batchSize;
    }

    public int batchesPerEpoch() {
        int n = data.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** The batches of epoch {@code epoch} (from 0), built lazily one at a time as the iteration proceeds. */
    public Iterable<Batch> epoch(int epoch) {
        return epoch(epoch, 0);
    }

    /** The batches of epoch {@code epoch} from batch {@code startBatch} on: the tail of {@code epoch(epoch)}. */
    public Iterable<Batch> epoch(int epoch, int startBatch) {
        int batches = batchesPerEpoch();
        if (startBatch < 0 || startBatch > batches) {
            throw new IllegalArgumentException("start batch " + startBatch + " is outside [0, " + batches + "], the "
                    + "batches of one epoch of " + data.size() + " samples in batches of " + batchSize);
        }
        int[] order = epochOrder(epoch);
        return () -> new BatchIterator(order, startBatch, batches);
    }

    /**
     * The order in which epoch {@code epoch} visits the samples: a permutation of 0..size-1 (identity without shuffle),
     * or, balanced, size draws by class.
     */
    public int[] epochOrder(int epoch) {
        if (epoch < 0) throw new IllegalArgumentException("epochs count from 0, got " + epoch);
        if (balanced) return BalancedSampling.order(data, new Rng(epochSeed(seed, epoch)));
        int[] order = new int[data.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        if (shuffle) new Rng(epochSeed(seed, epoch)).shuffle(order);
        return order;
    }

    /**
     * Mixes the epoch into the seed. Plain {@code seed ^ epoch} would give (seed 1, epoch 0) and (seed 0, epoch 1) the
     * same order; scrambling the epoch first with a SplitMix64 step makes such collisions as unlikely as any other.
     */
    static long epochSeed(long seed, int epoch) {
        long z = (epoch + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return seed ^ z ^ (z >>> 31);
    }

    private Batch batch(int[] order, int index) {
        int from = index * batchSize;
        int b = Math.min(batchSize, order.length - from);
        int[] sampleIndices = new int[b];
        System.arraycopy(order, from, sampleIndices, 0, b);
        float[] inputs = copyRows(data.features(), data.sampleSize(), sampleIndices);
        int[] inputShape = prepend(b, data.sampleShape());
        if (!data.isClassification()) {
            float[] targets = copyRows(data.targets(), data.targetSize(), sampleIndices);
            return new Batch(Tensor.of(inputs, inputShape), Tensor.of(targets, prepend(b, data.targetShape())), null,
                    index, sampleIndices);
        }
        int[] labels = new int[b];
        float[] labelValues = new float[b];
        for (int k = 0; k < b; k++) {
            labels[k] = data.label(sampleIndices[k]);
            labelValues[k] = labels[k];
        }
        return new Batch(Tensor.of(inputs, inputShape), Tensor.of(labelValues, b), labels, index, sampleIndices);
    }

    private static float[] copyRows(float[] source, int rowSize, int[] rows) {
        float[] out = new float[rows.length * rowSize];
        for (int k = 0; k < rows.length; k++) {
            System.arraycopy(source, rows[k] * rowSize, out, k * rowSize, rowSize);
        }
        return out;
    }

    private static int[] prepend(int first, int[] rest) {
        int[] shape = new int[rest.length + 1];
        shape[0] = first;
        System.arraycopy(rest, 0, shape, 1, rest.length);
        return shape;
    }

    private final class BatchIterator implements Iterator<Batch> {
        private final int[] order;
        private final int end;
        private int next;

        BatchIterator(int[] order, int start, int end) {
            this.order = order;
            this.next = start;
            this.end = end;
        }

        @Override
        public boolean hasNext() {
            return next < end;
        }

        @Override
        public Batch next() {
            if (!hasNext()) throw new NoSuchElementException("epoch has " + end + " batches");
            return batch(order, next++);
        }
    }
}
