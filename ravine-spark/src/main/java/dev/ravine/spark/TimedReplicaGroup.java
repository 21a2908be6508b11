package dev.ravine.spark;

import dev.ravine.train.ReplicaGroup;
import java.util.ArrayList;
import java.util.List;

/**
 * A replica group that times itself: each training step makes exactly one gradient all-reduce (the float sum), so
 * the time between two of them is one step, and the time inside all-reduces is its communication (waiting for a
 * slower replica included); the rest is computation.
 */
final class TimedReplicaGroup implements ReplicaGroup {
    private final ReplicaGroup inner;
    private final List<double[]> steps = new ArrayList<>();
    private long lastGradientStart;
    private long communicationNanos;
    private long floatsPerStep;

    TimedReplicaGroup(ReplicaGroup inner) {
        this.inner = inner;
    }

    @Override
    public int rank() {
        return inner.rank();
    }

    @Override
    public int size() {
        return inner.size();
    }

    @Override
    public void sum(float[] values) {
        long t0 = System.nanoTime();
        if (lastGradientStart != 0) steps.add(new double[] {(t0 - lastGradientStart) * 1e-6, communicationNanos * 1e-6});
        lastGradientStart = t0;
        communicationNanos = 0;
        floatsPerStep = values.length;
        inner.sum(values);
        communicationNanos += System.nanoTime() - t0;
    }

    @Override
    public void sum(double[] values) {
        long t0 = System.nanoTime();
        inner.sum(values);
        communicationNanos += System.nanoTime() - t0;
    }

    /** The length of the last gradient all-reduce: the parameters (and BatchNorm's running statistics) plus one flag each. */
    long floatsPerStep() {
        return floatsPerStep;
    }

    /** Each step's {milliseconds, of which in all-reduces}, from the second step on. */
    List<double[]> steps() {
        return steps;
    }
}
