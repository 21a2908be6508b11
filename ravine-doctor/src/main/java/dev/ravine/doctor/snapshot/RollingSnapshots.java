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
 * <p>A snapshot is taken every {@code every} steps, or more rarely when copying costs more than {@value #SHARE} of a
 * step's time (measured on the run); the newest {@code keep} are held, beside the run's start. Any of the users may
 * pass each step on ({@link #afterStep}): the first call of a step takes its snapshot, the others find it done. A step
 * whose loss or weights are not finite gives no snapshot. After a rollback the snapshots of the abandoned path go.
 * Not thread-safe: the training thread owns it.
 */
public final class RollingSnapshots {
    /**
     * A snapshot, the batch loss of its step and the lowest batch loss up to it (NaN and infinity for the run's start):
     * a snapshot whose loss was far above the best before it was taken on the way up.
     */
    public record Snapshot(long step, Checkpoint checkpoint, double loss, double bestLoss) {}

    /** The share of a step's time that copying may take on average. */
    static final double SHARE = 0.005;

    private final int every;
    private final int keep;
    private final double share;
    private final ArrayDeque<Snapshot> held = new ArrayDeque<>();
    private Snapshot start;
    /** The last step passed on (-1 before training): a second call for it is the same step heard by another user. */
    private long lastSeen = -1;
    private long lastTaken = -1;
    /** The lowest finite batch loss on the path the run is on. */
    private double bestLoss = Double.POSITIVE_INFINITY;
    private double stepSeconds = Double.NaN;
    private double copySeconds;
    private long lastBatchEnd;
    private int taken;
    private double totalSeconds;
    private long peakBytes;

    public RollingSnapshots(int every, int keep) {
        this(every, keep, SHARE);
    }

    /** With another share of a step's time for copying (a test's infinite share: exactly every {@code every} steps). */
    RollingSnapshots(int every, int keep, double share) {
        this.share = share;
        if (every < 1) throw new IllegalArgumentException("snapshots every " + every + " steps: must be >= 1");
        if (keep < 1) throw new IllegalArgumentException("keep " + keep + " snapshots: must be >= 1");
        this.every = every;
        this.keep = keep;
    }

    /** Every 10 steps, the newest 4 held: a probe or rollback goes back at most about 40 steps before the trouble. */
    public static RollingSnapshots defaults() {
        return new RollingSnapshots(10, 4);
    }

    /** At the start of training (or of a resumed run): the start snapshot, once for all users. */
    public void start(Trainer trainer) {
        long step = trainer.optimizer().stepCount();
        if (start != null && start.step() == step && lastSeen <= step) return;
        held.clear();
        start = new Snapshot(step, timed(trainer), Double.NaN, Double.POSITIVE_INFINITY);
        bestLoss = Double.POSITIVE_INFINITY;
        copySeconds = 0; // the first copy is cold (classes loading, nothing compiled): no measure of the next ones
        lastSeen = step;
        lastTaken = step;
        lastBatchEnd = System.nanoTime();
        trackBytes();
    }

    /** After each step: a snapshot when one is due; a step already heard (from another user) changes nothing. */
    public void afterStep(Trainer trainer, BatchEvent event) {
        long step = event.step();
        if (step == lastSeen) return;
        long now = System.nanoTime();
        double seconds = (now - lastBatchEnd) * 1e-9;
        lastBatchEnd = now;
        if (step < lastSeen) rolledBack(step - 1); // the trainer went back without telling: the newer ones are abandoned
        else stepSeconds = Double.isNaN(stepSeconds) ? seconds : 0.9 * stepSeconds + 0.1 * seconds;
        lastSeen = step;
        if (Double.isFinite(event.loss())) bestLoss = Math.min(bestLoss, event.loss());
        if (!Double.isFinite(event.loss()) || step < lastTaken + interval()) return;
        Checkpoint c = timed(trainer);
        lastTaken = step;
        if (!finite(c)) return;
        held.addLast(new Snapshot(step, c, event.loss(), bestLoss));
        while (held.size() > keep) held.removeFirst();
        trackBytes();
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
        copySeconds = 0;
        trackBytes();
    }

    /** Steps between snapshots: at least {@code every}, more when the last copy cost more than the share of a step. */
    private long interval() {
        if (!(stepSeconds > 0)) return every;
        return Math.max(every, (long) Math.ceil(copySeconds / (share * stepSeconds)));
    }

    private Checkpoint timed(Trainer trainer) {
        long t0 = System.nanoTime();
        Checkpoint c = trainer.snapshot();
        copySeconds = (System.nanoTime() - t0) * 1e-9;
        totalSeconds += copySeconds;
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
