package dev.ravine.pretrain;

/**
 * How an RBM is trained by contrastive divergence.
 *
 * @param cdK         Gibbs steps per negative phase (CD-k), at least 1
 * @param persistent  persistent CD (Tieleman, 2008): the negative chains ("fantasy particles") continue from where the
 *                    previous batch left them instead of restarting at the data
 * @param epochs      passes over the training data
 * @param lr          learning rate of the weight and bias updates
 * @param momentum    velocity = momentum * velocity + lr * gradient, in [0, 1)
 * @param weightDecay L2 penalty on the weights (not the biases), subtracted as weightDecay * W from the gradient
 * @param batchSize   samples per update; also the number of fantasy particles under persistent CD
 */
public record RbmOptions(int cdK, boolean persistent, int epochs, double lr, double momentum, double weightDecay,
                         int batchSize) {
    public RbmOptions {
        if (cdK < 1) throw new IllegalArgumentException("cd_k must be at least 1, got " + cdK);
        if (epochs < 1) throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        if (!(lr > 0) || !Double.isFinite(lr)) throw new IllegalArgumentException("lr must be a finite number > 0, got " + lr);
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("weight_decay must be a finite number >= 0, got " + weightDecay);
        }
        if (batchSize < 1) throw new IllegalArgumentException("batch_size must be at least 1, got " + batchSize);
    }

    /** CD-1, 5 epochs, lr 0.05, momentum 0.5, no weight decay, batches of 64. */
    public static RbmOptions defaults() {
        return new RbmOptions(1, false, 5, 0.05, 0.5, 0, 64);
    }
}
