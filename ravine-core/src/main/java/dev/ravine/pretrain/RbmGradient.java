package dev.ravine.pretrain;

/**
 * The contrastive-divergence estimate of the log-likelihood gradient (an ascent direction) for one batch:
 * <pre>
 *   dW = &lt;v h^T&gt;_data - &lt;v h^T&gt;_model,   db = &lt;v&gt;_data - &lt;v&gt;_model,   dc = &lt;h&gt;_data - &lt;h&gt;_model
 * </pre>
 * where the data expectation uses p(h | v) on the batch and the model expectation the end states of the Gibbs chains
 * with p(h | v_k) in place of h (Hinton's guide, section 3). {@code reconstructionError} is the mean squared
 * difference, per visible unit, between the batch and its one-step reconstruction E[v | h_0], h_0 ~ p(h | v_data).
 *
 * @param weights [visible, hidden] row-major, as {@link Rbm}'s weights
 */
public record RbmGradient(float[] weights, float[] visibleBias, float[] hiddenBias, double reconstructionError) {}
