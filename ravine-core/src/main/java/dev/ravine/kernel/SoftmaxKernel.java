package dev.ravine.kernel;

import java.util.Objects;
import java.util.function.IntConsumer;

/**
 * Row-wise softmax family over a row-major {@code [rows, cols]} block of a {@code float[]}.
 *
 * <p>Numerics: every row is shifted by its maximum before exponentiating, so no exponent exceeds
 * 0 and nothing overflows (logits of 1e4 or -1e4 are fine). The exponentials are computed and
 * summed in {@code double}: a plain double sum of at most a few million terms in (0, 1] has a
 * relative error far below float resolution, so no compensated summation is needed, and the final
 * value is rounded to float once.
 *
 * <p>Non-finite inputs follow PyTorch, without masking: a NaN anywhere in a row makes the whole
 * {@link #softmax}/{@link #logSoftmax} row NaN; a {@code +inf} logit also gives an all-NaN row
 * ({@code inf - inf}), and so does a row that is entirely {@code -inf}. {@link #logSumExp} matches
 * {@code torch.logsumexp}, which shifts by 0 when the row maximum is infinite: a row containing
 * {@code +inf} (and no NaN) gives {@code +inf}, an all {@code -inf} row gives {@code -inf}.
 *
 * <p>{@code out} may be the same region as the input (in place); partially overlapping regions are
 * not supported. Rows are split over {@link ComputePool}; each row is computed by one task in a
 * fixed order, so results do not depend on the thread count.
 */
public final class SoftmaxKernel {

    /**
     * Elements per parallel chunk (~100 us of exp): big enough that the pool's hand-off is noise,
     * small enough that a typical batch still spreads over all threads.
     */
    private static final int CHUNK_ELEMENTS = 1 << 14;

    private SoftmaxKernel() {
    }

    /** {@code out[r, j] = x[r, j] - log(sum_k exp(x[r, k]))}, computed stably per row. */
    public static void logSoftmax(float[] x, int off, int rows, int cols, float[] out, int outOff) {
        checkBlock(x, off, rows, cols, out, outOff, (long) rows * cols);
        forEachRow(rows, cols, r -> {
            int src = off + r * cols;
            int dst = outOff + r * cols;
            // x - lse in double is exact enough even for |x| ~ 1e4: double keeps ~1e-12 there.
            double lse = logSumExpRow(x, src, cols);
            for (int j = 0; j < cols; j++) {
                out[dst + j] = (float) (x[src + j] - lse);
            }
        });
    }

    /** {@code out[r, j] = exp(x[r, j]) / sum_k exp(x[r, k])}, computed stably per row; rows sum to 1. */
    public static void softmax(float[] x, int off, int rows, int cols, float[] out, int outOff) {
        checkBlock(x, off, rows, cols, out, outOff, (long) rows * cols);
        forEachRow(rows, cols, r -> softmaxRow(x, off + r * cols, cols, out, outOff + r * cols));
    }

    /** {@code out[r] = log(sum_j exp(x[r, j]))}, one value per row, with {@code torch.logsumexp} semantics. */
    public static void logSumExp(float[] x, int off, int rows, int cols, float[] out, int outOff) {
        checkBlock(x, off, rows, cols, out, outOff, rows);
        forEachRow(rows, cols, r -> {
            int src = off + r * cols;
            double max = rowMax(x, src, cols);
            // torch.logsumexp: an infinite max would turn x - max into NaN, so shift by 0 instead
            // and let the sum itself become +inf or 0.
            double shift = Double.isInfinite(max) ? 0.0 : max;
            out[outOff + r] = (float) (shift + Math.log(sumExpShifted(x, src, cols, shift)));
        });
    }

    /**
     * Softmax of one row of length {@code cols} from {@code x[src]} into {@code out[dst]}, returning
     * that row's log-sum-exp in double (unmasked: NaN for a row with NaN, +inf, or only -inf).
     * Package-private so the fused cross-entropy gets probabilities and loss from one pass of exp.
     */
    static double softmaxRow(float[] x, int src, int cols, float[] out, int dst) {
        double max = rowMax(x, src, cols);
        double sum = 0.0;
        // Stores the exponentials in out first, so exp runs once per element; reading x[src + j]
        // before writing out[dst + j] keeps this safe in place.
        for (int j = 0; j < cols; j++) {
            double e = Math.exp(x[src + j] - max);
            sum += e;
            out[dst + j] = (float) e;
        }
        double inv = 1.0 / sum;
        for (int j = 0; j < cols; j++) {
            out[dst + j] = (float) (out[dst + j] * inv);
        }
        return max + Math.log(sum);
    }

    /**
     * Log-sum-exp of one row in double, shifted by the row max WITHOUT masking infinities, as
     * log_softmax does: NaN for a row with NaN, +inf, or only -inf.
     */
    static double logSumExpRow(float[] x, int src, int cols) {
        double max = rowMax(x, src, cols);
        return max + Math.log(sumExpShifted(x, src, cols, max));
    }

    /** Maximum of one row; NaN if any element is NaN (Math.max propagates NaN), -inf for an empty row. */
    static double rowMax(float[] x, int start, int cols) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < cols; j++) {
            max = Math.max(max, x[start + j]);
        }
        return max;
    }

    /** {@code sum_j exp(x[start + j] - shift)} accumulated in double. */
    static double sumExpShifted(float[] x, int start, int cols, double shift) {
        double sum = 0.0;
        for (int j = 0; j < cols; j++) {
            sum += Math.exp(x[start + j] - shift);
        }
        return sum;
    }

    /**
     * Runs {@code body} once per row index in {@code [0, rows)}, in chunks of consecutive rows over
     * {@link ComputePool}. Rows are independent, so the split never changes a result; a block
     * smaller than one chunk runs inline on the calling thread.
     */
    static void forEachRow(int rows, int cols, IntConsumer body) {
        int chunkRows = Math.max(1, CHUNK_ELEMENTS / Math.max(1, cols));
        ComputePool.parallelRange(rows, chunkRows, (from, to) -> {
            for (int r = from; r < to; r++) {
                body.accept(r);
            }
        });
    }

    /** Validates a {@code [rows, cols]} input and an output of {@code outCount} elements. */
    static void checkBlock(float[] x, int off, int rows, int cols, float[] out, int outOff, long outCount) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(out, "out");
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("invalid shape [" + rows + ", " + cols + "]");
        }
        int count = Math.toIntExact((long) rows * cols);
        Objects.checkFromIndexSize(off, count, x.length);
        Objects.checkFromIndexSize(outOff, Math.toIntExact(outCount), out.length);
    }
}
