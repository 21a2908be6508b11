package dev.ravine.train;

/**
 * The replicas of a synchronous data-parallel run as one of them sees them: its rank among {@code size} and an
 * all-reduce (element-wise sum) over all of them. The transport (a ring over sockets between Spark barrier tasks, in
 * ravine-spark) is not the trainer's business; {@link DataParallel} is what the trainer does with it.
 *
 * <p>Every replica must end each call with the same sums, bit for bit: the replicas then stay identical without
 * ever exchanging weights.
 */
public interface ReplicaGroup {
    int rank();

    int size();

    /** Replaces {@code values}, on every replica, by their element-wise sum over the replicas. */
    void sum(float[] values);

    /** As {@link #sum(float[])}, for the few per-step scalars (loss, correct predictions, stop votes). */
    void sum(double[] values);
}
