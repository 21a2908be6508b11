package dev.ravine.train;

import dev.ravine.data.Batch;
import dev.ravine.nn.Module;
import dev.ravine.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One replica's part of synchronous data-parallel training: each step every replica takes the same global batch
 * (same loader, same seed), trains on its own contiguous rows of it, and the gradients are summed across replicas
 * weighted by each shard's share of the batch, so that every replica holds the gradient of the mean loss over the
 * whole batch, exactly what one process training at that batch size computes (to float rounding), and applies the
 * same optimizer step.
 *
 * <p>What is global and what is not: the loss, accuracy and gradients the trainer, its listeners and the doctor see
 * are the global batch's; BatchNorm normalizes each shard by the shard's own statistics (as PyTorch's
 * DistributedDataParallel without SyncBatchNorm) and its running statistics are averaged over the replicas every
 * step, so every replica keeps the same ones; dropout masks are drawn by each replica from the run's generator at
 * its shard's size, from the same generator state on every replica (the shards share masks), so a run with dropout
 * is not the single-process run's sample for sample.
 */
public final class DataParallel {
    private final ReplicaGroup group;
    /** Seconds spent in all-reduces since the last {@link #takeCommunicationSeconds()}. */
    private double communicationSeconds;

    public DataParallel(ReplicaGroup group) {
        this.group = group;
    }

    public ReplicaGroup group() {
        return group;
    }

    /** This replica's rows of {@code batch}: a contiguous share, sizes differing by at most one, rank 0 first. */
    public Batch shard(Batch batch) {
        int from = shardStart(batch.size(), group.rank(), group.size());
        int to = shardStart(batch.size(), group.rank() + 1, group.size());
        return new Batch(rows(batch.inputs(), from, to), rows(batch.targets(), from, to),
                batch.labels() == null ? null : Arrays.copyOfRange(batch.labels(), from, to), batch.index(),
                Arrays.copyOfRange(batch.sampleIndices(), from, to));
    }

    static int shardStart(int batchSize, int rank, int replicas) {
        int base = batchSize / replicas, extra = batchSize % replicas;
        return rank * base + Math.min(rank, extra);
    }

    private static Tensor rows(Tensor t, int from, int to) {
        int[] shape = t.shape().clone();
        int row = shape[0] == 0 ? 0 : t.numel() / shape[0];
        shape[0] = to - from;
        float[] values = t.values();
        return Tensor.of(Arrays.copyOfRange(values, from * row, to * row), shape);
    }

    /**
     * The global batch's mean loss and correct count from this replica's shard figures: {sum of loss x rows over the
     * replicas / global rows, sum of correct}. Every replica gets the same two numbers, so all take the same path
     * when the loss is not finite.
     */
    public double[] globalLossAndCorrect(double shardLoss, int shardCorrect, int shardRows, int globalRows) {
        double[] s = {shardRows == 0 ? 0 : shardLoss * shardRows, shardCorrect};
        timed(() -> group.sum(s));
        return new double[] {s[0] / globalRows, s[1]};
    }

    /**
     * Replaces every parameter's gradient by the global batch's: the shard's mean-loss gradient times the shard's share
     * of the batch, summed over the replicas. BatchNorm's running statistics ride in the same message, averaged.
     * A regularization term in the loss (weight decay) is the same on every replica and its shares add up to one.
     */
    public void reduceGradients(Module model, int shardRows, int globalRows) {
        List<Tensor> params = model.parameters();
        List<Tensor> running = model.namedBuffers().entrySet().stream()
                .filter(e -> e.getKey().substring(e.getKey().lastIndexOf('.') + 1).startsWith("running_")).map(Map.Entry::getValue).toList();
        // One flag per parameter says whether some replica has its gradient: a parameter no loss reaches (or frozen)
        // keeps no gradient, as in one process, even on a replica whose shard was empty.
        int total = params.size();
        for (Tensor p : params) total += p.numel();
        for (Tensor b : running) total += b.numel();
        float[] flat = new float[total];
        float share = (float) shardRows / globalRows;
        int at = params.size();
        for (int k = 0; k < params.size(); k++) {
            Tensor p = params.get(k);
            if (p.grad() != null) {
                flat[k] = 1;
                float[] g = p.grad().values();
                for (int i = 0; i < g.length; i++) flat[at + i] = g[i] * share;
            }
            at += p.numel();
        }
        float inverseReplicas = 1f / group.size();
        for (Tensor b : running) {
            float[] v = b.storage();
            for (int i = 0; i < v.length; i++) flat[at + i] = v[i] * inverseReplicas;
            at += v.length;
        }
        timed(() -> group.sum(flat));
        at = params.size();
        for (int k = 0; k < params.size(); k++) {
            Tensor p = params.get(k);
            p.setGrad(flat[k] > 0 ? Tensor.of(Arrays.copyOfRange(flat, at, at + p.numel()), p.shape()) : null);
            at += p.numel();
        }
        for (Tensor b : running) {
            System.arraycopy(flat, at, b.storage(), 0, b.numel());
            at += b.numel();
        }
    }

    /**
     * Whether any replica wants to stop after this step (its doctor, a signal, early stopping), agreed by all: a
     * replica that stopped alone would leave the others waiting in the next all-reduce.
     */
    public boolean anyStops(boolean mine) {
        double[] votes = {mine ? 1 : 0};
        timed(() -> group.sum(votes));
        return votes[0] > 0;
    }

    /** The seconds this replica spent in all-reduces since the last call (waiting for slower replicas included). */
    public double takeCommunicationSeconds() {
        double s = communicationSeconds;
        communicationSeconds = 0;
        return s;
    }

    private void timed(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        communicationSeconds += (System.nanoTime() - t0) * 1e-9;
    }
}
