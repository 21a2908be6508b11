package dev.ravine.kernel;

import java.util.Objects;

/**
 * Fused softmax cross-entropy from logits with integer class targets, over a row-major
 * {@code [rows, cols]} logits block ({@code cols} = number of classes).
 *
 * <p>Per row {@code loss = logsumexp(row) - row[target]}, computed in double from the max-shifted
 * row (see {@link SoftmaxKernel} for the numerics). As in PyTorch's {@code cross_entropy}
 * (= {@code nll_loss(log_softmax(x))}), a row holding NaN or {@code +inf}, or only {@code -inf},
 * yields a NaN loss; nothing is masked.
 *
 * <p>The gradient with respect to the logits is {@code (softmax - onehot(target)) * scale}; the
 * forward can emit the softmax probabilities so {@link #backward} needs no second exp pass. Rows
 * are split over {@link ComputePool}; each row is computed by one task, and the returned total is
 * summed sequentially in row order, so results do not depend on the thread count.
 */
public final class CrossEntropyKernel {

    private CrossEntropyKernel() {
    }

    /**
     * Forward pass. Writes the per-row loss to {@code losses[lossesOff + r]} and, if {@code probs}
     * is non-null, the softmax probabilities {@code [rows, cols]} to {@code probs} at {@code probsOff}
     * ({@code probs} may be the logits region itself, in place).
     *
     * @return the sum of the per-row losses, accumulated in double (divide by {@code rows} for a
     *         mean reduction)
     * @throws IllegalArgumentException if a target is outside {@code [0, cols)}; nothing is written then
     */
    public static double forward(float[] logits, int off, int rows, int cols, int[] targets, int targetsOff,
                                 float[] losses, int lossesOff, float[] probs, int probsOff) {
        SoftmaxKernel.checkBlock(logits, off, rows, cols, losses, lossesOff, rows);
        if (probs != null) {
            Objects.checkFromIndexSize(probsOff, rows * cols, probs.length);
        }
        checkTargets(targets, targetsOff, rows, cols);
        double[] rowLoss = new double[rows];
        SoftmaxKernel.forEachRow(rows, cols, r -> {
            int src = off + r * cols;
            int target = targets[targetsOff + r];
            // Read before the row may be overwritten by in-place probabilities.
            float targetLogit = logits[src + target];
            double lse = probs == null
                    ? SoftmaxKernel.logSumExpRow(logits, src, cols)
                    : SoftmaxKernel.softmaxRow(logits, src, cols, probs, probsOff + r * cols);
            rowLoss[r] = lse - targetLogit;
            losses[lossesOff + r] = (float) rowLoss[r];
        });
        double total = 0.0;
        for (double loss : rowLoss) {
            total += loss;
        }
        return total;
    }

    /**
     * Backward pass: {@code gradLogits[r, j] = (probs[r, j] - (j == target[r] ? 1 : 0)) * scale},
     * where {@code probs} is the softmax written by {@link #forward}. Overwrites {@code gradLogits}
     * (it may be the {@code probs} region itself). For a mean-reduced loss pass
     * {@code scale = upstreamGrad / rows}.
     *
     * @throws IllegalArgumentException if a target is outside {@code [0, cols)}
     */
    public static void backward(float[] probs, int probsOff, int rows, int cols, int[] targets, int targetsOff,
                                float scale, float[] gradLogits, int gradOff) {
        SoftmaxKernel.checkBlock(probs, probsOff, rows, cols, gradLogits, gradOff, (long) rows * cols);
        checkTargets(targets, targetsOff, rows, cols);
        SoftmaxKernel.forEachRow(rows, cols, r -> {
            int src = probsOff + r * cols;
            int dst = gradOff + r * cols;
            int target = targets[targetsOff + r];
            for (int j = 0; j < cols; j++) {
                float p = j == target ? probs[src + j] - 1f : probs[src + j];
                gradLogits[dst + j] = p * scale;
            }
        });
    }

    /** Checks every target up front, so an invalid batch fails before any output is written. */
    private static void checkTargets(int[] targets, int targetsOff, int rows, int cols) {
        Objects.requireNonNull(targets, "targets");
        Objects.checkFromIndexSize(targetsOff, rows, targets.length);
        for (int r = 0; r < rows; r++) {
            int t = targets[targetsOff + r];
            if (t < 0 || t >= cols) {
                throw new IllegalArgumentException("cross-entropy target " + t + " at row " + r
                        + " is out of range for " + cols + " classes (valid: 0.." + (cols - 1) + ")");
            }
        }
    }
}
