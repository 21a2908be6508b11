package dev.ravine.doctor.repair;

import dev.ravine.doctor.Doctor;
import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Severity;
import dev.ravine.io.Checkpoint;
import dev.ravine.train.BatchEvent;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingListener;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Repairs a run that a blocking problem would otherwise end (a NaN/Inf loss, or a blocking finding such as a
 * diverging loss), or that a finding whose top remedy is a lower learning rate says is going wrong
 * ({@link #LR_FINDINGS}: lr_too_high, adaptive_spike, dead_relu, exploding_gradients, at any severity): it goes back
 * to the newest rolling checkpoint taken before the trouble began and continues with the learning rate lowered by
 * {@code lrFactor} (the top remedy those findings name that the trainer can apply by itself; ReLUs killed by a large
 * step come back with the rollback and stay alive at the smaller one). Bounded: after {@code maxTries} repairs it lets the run end. Acts only through the
 * trainer's public controls (rollback, lr scale, re-initialization); every action is recorded.
 */
public final class RepairPolicy implements TrainingListener, Doctor.FindingListener {
    /** A rolling checkpoint and the batch loss at its step (NaN for the run's start). */
    private record Snapshot(long step, Checkpoint checkpoint, double loss) {}

    private final RepairOptions options;
    private final ArrayDeque<Snapshot> snapshots = new ArrayDeque<>();
    private final List<RepairAction> actions = new ArrayList<>();
    /** The run's start, always kept: the last resort when every rolling snapshot is already on the bad path. */
    private Snapshot initial;
    private Finding pendingBlocking;
    /** The earliest step at which an open finding says trouble began (since the last repair), or MAX_VALUE. */
    private long troubleSince = Long.MAX_VALUE;
    /** The lowest batch loss seen: a snapshot whose loss is far above it was already taken on the way up. */
    private double bestLoss = Double.POSITIVE_INFINITY;

    public RepairPolicy(RepairOptions options) {
        this.options = options;
    }

    private final List<java.util.function.Consumer<RepairAction>> actionListeners = new ArrayList<>();

    /** Hears each repair as it happens (the terminal line). */
    public RepairPolicy onAction(java.util.function.Consumer<RepairAction> listener) {
        actionListeners.add(listener);
        return this;
    }

    public List<RepairAction> actions() {
        return List.copyOf(actions);
    }

    @Override
    public void onTrainingStart(Trainer trainer) {
        bestLoss = Double.POSITIVE_INFINITY;
        initial = new Snapshot(trainer.optimizer().stepCount(), trainer.snapshot(), Double.NaN);
    }

    /** Findings whose first remedy is a lower learning rate, which a repair applies whatever their severity. */
    public static final java.util.Set<String> LR_FINDINGS = java.util.Set.of("lr_too_high", "adaptive_spike", "dead_relu", "exploding_gradients");

    /** The findings open now, by id: the root cause among them decides the remedy. */
    private final java.util.Map<String, Finding> open = new java.util.LinkedHashMap<>();

    @Override
    public void closed(Finding finding) {
        open.remove(finding.id());
    }

    @Override
    public void opened(Finding finding) {
        open.put(finding.id(), finding);
        if (finding.severity() != Severity.INFO) troubleSince = Math.min(troubleSince, finding.firstStep());
        if (finding.severity() == Severity.BLOCKING || LR_FINDINGS.contains(finding.id())) pendingBlocking = finding;
    }

    @Override
    public void onBatchEnd(Trainer trainer, BatchEvent event) {
        if (pendingBlocking != null) {
            Finding f = pendingBlocking;
            pendingBlocking = null;
            repair(trainer, event.step(), f.id(), f.firstStep());
            return;
        }
        if (Double.isFinite(event.loss())) bestLoss = Math.min(bestLoss, event.loss());
        if (Double.isFinite(event.loss()) && event.step() % options.snapshotEvery() == 0) remember(trainer, event.step(), event.loss());
    }

    @Override
    public void onNonFiniteLoss(Trainer trainer, long step, int epoch, double loss) {
        pendingBlocking = null;
        repair(trainer, step, "exploding_gradients", step);
    }

    @Override
    public void onNonFiniteGradients(Trainer trainer, long step, int epoch, double loss, double gradientNorm) {
        pendingBlocking = null;
        repair(trainer, step, "exploding_gradients", step);
    }

    private void remember(Trainer trainer, long step, double loss) {
        snapshots.addLast(new Snapshot(step, trainer.snapshot(), loss));
        while (snapshots.size() > options.keep()) snapshots.removeFirst();
    }

    /**
     * Goes back to the newest snapshot taken before the trouble began (the earliest open finding, or this step) and
     * lowers the learning rate. If the last repair went back to the same snapshot and trouble came again, that
     * snapshot was already on the bad path (weights can be finite yet doomed), so it goes one further back.
     */
    private void repair(Trainer trainer, long step, String findingId, long troubleStep) {
        if (actions.size() >= options.maxTries()) return;
        long troubleBegan = Math.min(troubleStep, troubleSince);
        // The remedy is the root cause's (dev.ravine.doctor.finding.Findings ranks them): a NaN that follows a loss
        // diverging from a sane start is lr_too_high's, lowered learning rate, not the NaN's own exploding_gradients.
        Finding cause = dev.ravine.doctor.finding.Findings.top(List.copyOf(open.values())).orElse(null);
        if (cause != null) findingId = cause.id();
        // Snapshots after the trouble began, or whose loss had already climbed well above the best, are on the bad path.
        while (!snapshots.isEmpty() && (snapshots.peekLast().step() >= troubleBegan || !(snapshots.peekLast().loss() <= 2 * bestLoss))) {
            snapshots.removeLast();
        }
        if (!actions.isEmpty() && !snapshots.isEmpty() && snapshots.peekLast().step() == actions.getLast().rolledBackTo()) {
            snapshots.removeLast();
        }
        Snapshot target = snapshots.isEmpty() ? initial : snapshots.peekLast();
        if (target == null) return;
        troubleSince = Long.MAX_VALUE;
        double before = trainer.optimizer().lrScale();
        trainer.rollback(target.checkpoint());
        // Gradients that explode at step 1 were computed at the initial weights, before any step: the initialization, which
        // no learning rate fixes, is the cause, so the exploding_gradients remedy "init: he_normal" is applied instead (note 003).
        boolean reinitialize = findingId.equals("exploding_gradients") && troubleBegan <= 1 && target == initial
                && (cause == null || cause.firstStep() <= 1);
        String drawn = null;
        if (reinitialize) {
            Reinitialization plan = Reinitialization.of(trainer.model());
            // the repair count tells this draw from an earlier one made after a rollback to the same start
            trainer.reinitialize(plan.byParameter(), actions.size());
            drawn = plan.describe();
            // the re-drawn weights are the run's start from now on: a later rollback to the start must not bring back
            // the initialization that failed
            initial = new Snapshot(initial.step(), trainer.snapshot(), Double.NaN);
        }
        // The checkpoint carries its own lr scale; the repair lowers the one that was in force when things went wrong.
        double after = reinitialize ? before : before * options.lrFactor(); // the lr was not what failed
        trainer.setLrScale(after);
        String remedy = reinitialize ? "weights re-drawn with " + drawn : "optimizer.lr x " + fmt(options.lrFactor());
        RepairAction action = new RepairAction(step, findingId, remedy, target.step(), before, after);
        actions.add(action);
        actionListeners.forEach(l -> l.accept(action));
    }

    private static String fmt(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }
}
