package dev.ravine.doctor.snapshot;

import dev.ravine.io.Checkpoint;
import dev.ravine.train.BatchEvent;
import dev.ravine.train.Trainer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The run's rolling in-memory snapshots (model, optimizer, Rng, data position: {@link Trainer#snapshot}), one set shared
 * by everything in the doctor that goes back in time: the NaN tracer replays from the newest, a probe forks from the
 * newest before its finding's trouble, a repair rolls back to the newest before the trouble whose loss was sane. Each
 * used to keep copies of its own (the tracer one, the probes four, the repair three and the run's start), taken at
 * three cadences.
 *
 * <p>A snapshot is taken every {@code every} steps, counted in steps only, so that which snapshots exist (and so where
 * a probe forks and a rollback lands) does not depend on the machine's load; it used to stretch with the measured copy
 * and step times, and rollback targets varied between runs of the same config. A copy of the weights and optimizer
 * state costs less than a step, which reads each weight several times per sample, so a copy every few steps is a small
 * share of the run (measured in run.db's {@code snapshot_seconds}). The newest {@code keep} are held, and beyond them
 * up to {@code older} older ones, thinned so that they stay spread over the run's past: trouble that began long after
 * the start still has a snapshot from before it, not only the start. Memory is bounded by {@code keep + older + 1}
 * copies. Any of the users may pass each step on ({@link #afterStep}): the first call of a step takes its snapshot,
 * the others find it done. A step whose loss or weights are not finite gives no snapshot. After a rollback the
 * snapshots of the abandoned path go.
 *
 * Not thread-safe: the training thread owns it.
 */
public final class RollingSnapshots {
    /**
     * A snapshot, the batch loss of its step and the lowest batch loss up to it (NaN and infinity for the run's start):
     * a snapshot whose loss was far above the best before it was taken on the way up.
     */
    public record Snapshot(long step, Checkpoint checkpoint, double loss, double bestLoss) {}

    private final int every;
    private final int keep;
    private final int older;
    private final ArrayDeque<Snapshot> held = new ArrayDeque<>();
    private Snapshot start;
    /** The last step passed on (-1 before training): a second call for it is the same step heard by another user. */
    private long lastSeen = -1;
    private long lastTaken = -1;
    /** The lowest finite batch loss on the path the run is on. */
    private double bestLoss = Double.POSITIVE_INFINITY;
    private int taken;
    private double totalSeconds;
    private long peakBytes;

    /** The newest {@code keep}, every {@code every} steps, and no older ones. */
    public RollingSnapshots(int every, int keep) {
        this(every, keep, 0);
    }

    public RollingSnapshots(int every, int keep, int older) {
        if (every < 1) throw new IllegalArgumentException("snapshots every " + every + " steps: must be >= 1");
        if (keep < 1) throw new IllegalArgumentException("keep " + keep + " snapshots: must be >= 1");
        if (older < 0) throw new IllegalArgumentException("keep " + older + " older snapshots: must be >= 0");
        this.every = every;
        this.keep = keep;
        this.older = older;
    }

    /**
     * Every 5 steps, the newest 4 held and 4 older ones spread over the run: the short suite runs (64 steps) have
     * snapshots from before trouble that begins at step 5, and a long run's late trouble one from before it.
     */
    public static RollingSnapshots defaults() {
        return new RollingSnapshots(5, 4, 4);
    }

    /** At the start of training (or of a resumed run): the start snapshot, once for all users. */
    public void start(Trainer trainer) {
        long step = trainer.optimizer().stepCount();
        if (start != null && start.step() == step && lastSeen <= step) return;
        held.clear();
        start = new Snapshot(step, timed(trainer), Double.NaN, Double.POSITIVE_INFINITY);
        bestLoss = Double.POSITIVE_INFINITY;
        lastSeen = step;
        lastTaken = step;
        trackBytes();
    }

    /** After each step: a snapshot when one is due; a step already heard (from another user) changes nothing. */
    public void afterStep(Trainer trainer, BatchEvent event) {
        long step = event.step();
        if (step == lastSeen) return;
        if (step < lastSeen) rolledBack(step - 1); // the trainer went back without telling: the newer ones are abandoned
        lastSeen = step;
        if (Double.isFinite(event.loss())) bestLoss = Math.min(bestLoss, event.loss());
        if (!Double.isFinite(event.loss()) || step < lastTaken + every) return;
        Checkpoint c = timed(trainer);
        lastTaken = step;
        if (!finite(c)) return;
        held.addLast(new Snapshot(step, c, event.loss(), bestLoss));
        thin();
        trackBytes();
    }

    /**
     * Past {@code keep + older} snapshots, one of the older ones goes: the one whose neighbours (the start before the
     * first) are closest together, so that the gap its removal leaves is the smallest and the older ones stay spread
     * over the run (a tie goes to the newest of them: the oldest, rarest stay). Without older ones, the oldest goes.
     */
    private void thin() {
        if (held.size() <= keep + older) return;
        List<Snapshot> all = new ArrayList<>(held);
        int candidates = all.size() - keep; // the older part, the newest keep never thinned
        int drop = 0;
        long smallest = Long.MAX_VALUE;
        for (int i = 0; i < candidates && older > 0; i++) {
            long before = i == 0 ? start.step() : all.get(i - 1).step();
            long gap = all.get(i + 1).step() - before;
            if (gap <= smallest) {
                smallest = gap;
                drop = i;
            }
        }
        all.remove(drop);
        held.clear();
        held.addAll(all);
    }

    /** The lowest loss known up to {@code step} after a rollback: that of the newest snapshot at or before it. */
    private double bestBefore(long step) {
        double best = Double.POSITIVE_INFINITY;
        for (Snapshot s : held) if (s.step() <= step) best = s.bestLoss();
        return best;
    }

    /** The run went back to step {@code step} (a repair's rollback): snapshots after it were of a path no longer taken. */
    public void rolledBack(long step) {
        held.removeIf(s -> s.step() > step);
        bestLoss = held.isEmpty() || held.getLast().step() != step ? bestBefore(step) : held.getLast().bestLoss();
        lastSeen = step;
        lastTaken = Math.min(lastTaken, step);
    }

    /** New weights drawn at the start (a repair's re-initialization): a later return to the start must not undo them. */
    public void replaceStart(Trainer trainer) {
        start = new Snapshot(trainer.optimizer().stepCount(), timed(trainer), Double.NaN, Double.POSITIVE_INFINITY);
        trackBytes();
    }

    private Checkpoint timed(Trainer trainer) {
        long t0 = System.nanoTime();
        Checkpoint c = trainer.snapshot();
        totalSeconds += (System.nanoTime() - t0) * 1e-9;
        taken++;
        return c;
    }

    private static boolean finite(Checkpoint c) {
        for (float[] values : c.parameters().values()) for (float v : values) if (!Float.isFinite(v)) return false;
        return true;
    }

    /** The run's start (null before training). */
    public Snapshot start() {
        return start;
    }

    /** The rolling snapshots held now, oldest first (the start not among them). */
    public List<Snapshot> held() {
        return new ArrayList<>(held);
    }

    /** The newest snapshot taken before step {@code step}, the start included; empty before training. */
    public Optional<Snapshot> newestBefore(long step) {
        Snapshot best = start != null && start.step() < step ? start : null;
        for (Snapshot s : held) if (s.step() < step) best = s;
        return Optional.ofNullable(best);
    }

    /** How many snapshots were taken (the start's included) and the seconds they took. */
    public int taken() {
        return taken;
    }

    public double seconds() {
        return totalSeconds;
    }

    /** The most bytes the held snapshots (and the start) took at once: their weights and optimizer state. */
    public long peakBytes() {
        return peakBytes;
    }

    private void trackBytes() {
        long bytes = start == null ? 0 : bytes(start.checkpoint());
        for (Snapshot s : held) bytes += bytes(s.checkpoint());
        peakBytes = Math.max(peakBytes, bytes);
    }

    /** The bytes of a checkpoint's arrays: parameters, buffers and the optimizer's state. */
    public static long bytes(Checkpoint c) {
        long b = 0;
        for (Map<String, float[]> m : List.of(c.parameters(), c.buffers(), c.optimizerArrays())) {
            for (float[] v : m.values()) b += 4L * v.length;
        }
        for (long[] v : c.optimizerCounters().values()) b += 8L * v.length;
        return b;
    }
}
