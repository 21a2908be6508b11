package dev.ravine.doctor.repair;

import dev.ravine.doctor.Doctor;
import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Severity;
import dev.ravine.doctor.snapshot.RollingSnapshots;
import dev.ravine.doctor.snapshot.RollingSnapshots.Snapshot;
import dev.ravine.train.BatchEvent;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingListener;
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
 *
 * <p>With the doctor's probes ({@link #probed}) it waits for a finding's probes before it acts, then applies the
 * winning change where the trainer can make it (the learning rate /3, /10 or x3, the initialization fitting the
 * activations), also for a confirmed cause that is no blocking problem (a learning rate too low); a finding the probes
 * refuted is not repaired at all. A confirmed change the trainer cannot make (clipping, an activation, standardized or
 * shuffled inputs, a wider net) is a {@link Restart}: the trainer stops and the run starts again from step 0 with the
 * change patched into its config, once, and only while the steps it throws away are at most {@link #RESTART_SHARE} of
 * the run's. The points it rolls back to are the run's shared {@link RollingSnapshots}.
 */
public final class RepairPolicy implements TrainingListener, Doctor.FindingListener {
    private final RepairOptions options;
    /** The run's rolling snapshots, shared with the NaN tracer and the probes; its start is the last resort. */
    private final RollingSnapshots snapshots;
    private final List<RepairAction> actions = new ArrayList<>();
    private Finding pendingBlocking;
    /** The earliest step at which an open finding says trouble began (since the last repair), or MAX_VALUE. */
    private long troubleSince = Long.MAX_VALUE;

    public RepairPolicy(RepairOptions options, RollingSnapshots snapshots) {
        this.options = options;
        this.snapshots = snapshots;
    }

    private final List<java.util.function.Consumer<RepairAction>> actionListeners = new ArrayList<>();

    /** Hears each repair as it happens (the terminal line). */
    public RepairPolicy onAction(java.util.function.Consumer<RepairAction> listener) {
        actionListeners.add(listener);
        return this;
    }

    /** The repairs of this run, an earlier attempt's first. */
    public List<RepairAction> actions() {
        List<RepairAction> all = new ArrayList<>(earlier);
        all.addAll(actions);
        return List.copyOf(all);
    }

    @Override
    public void onTrainingStart(Trainer trainer) {
        snapshots.start(trainer);
    }

    /** Findings whose first remedy is a lower learning rate, which a repair applies whatever their severity. */
    public static final java.util.Set<String> LR_FINDINGS = java.util.Set.of("lr_too_high", "adaptive_spike", "dead_relu", "exploding_gradients");

    /** The findings open now, by id: the root cause among them decides the remedy. */
    private final java.util.Map<String, Finding> open = new java.util.LinkedHashMap<>();

    /** The winning probe's hypothesis of each finding id the probes confirmed. */
    private final java.util.Map<String, dev.ravine.doctor.probe.Hypothesis> winners = new java.util.HashMap<>();
    /** Ids whose probes have not reported yet: a repair for them waits. */
    private java.util.function.Predicate<String> awaiting = id -> false;

    /** Changes the trainer can make by itself, so a repair can apply them when a probe shows they win. */
    public static final java.util.Set<String> APPLICABLE = java.util.Set.of("lr/3", "lr/10", "lr*3", "init");

    /** A repair of finding id waits while {@code awaiting} says its probes have not reported. */
    public RepairPolicy waitFor(java.util.function.Predicate<String> awaiting) {
        this.awaiting = awaiting;
        return this;
    }

    /**
     * The probes of {@code finding} reported (the finding as the doctor now holds it): refuted, it is not repaired;
     * confirmed with a change the trainer can make, that change is what the repair applies, and it repairs then even
     * a finding it would otherwise leave alone.
     */
    public void probed(Finding finding, List<dev.ravine.doctor.probe.ProbeOutcome> outcomes) {
        if (dev.ravine.doctor.probe.ProbeEvidence.refuted(outcomes) || finding.severity() == Severity.INFO) {
            open.remove(finding.id());
            if (pendingBlocking != null && pendingBlocking.id().equals(finding.id())) pendingBlocking = null;
            return;
        }
        var won = dev.ravine.doctor.probe.ProbeEvidence.winner(outcomes);
        if (won.isEmpty()) return;
        winners.put(finding.id(), won.get().hypothesis());
        open.put(finding.id(), finding);
        boolean repaired = actions.stream().anyMatch(a -> a.findingId().equals(finding.id()));
        dev.ravine.doctor.probe.Hypothesis h = won.get().hypothesis();
        if (pendingBlocking == null && !repaired && APPLICABLE.contains(h.change())) pendingBlocking = finding;
        if (!APPLICABLE.contains(h.change()) && !h.remedy().patches().isEmpty() && !restarted() && pendingRestart == null) pendingRestart = h;
    }

    /**
     * A restart throws away the steps before it: it is taken only while they are at most this share of the run's, so
     * that with the probes' own tenth the repaired run stays within 1.2x of a clean one.
     */
    public static final double RESTART_SHARE = 0.1;

    /** A confirmed change the trainer cannot make, waiting for the next step's end to restart the run with it. */
    private dev.ravine.doctor.probe.Hypothesis pendingRestart;
    private Restart restart;
    /** Repairs made before a restart, in the run's earlier attempt: they count against maxTries. */
    private final List<RepairAction> earlier = new ArrayList<>();

    /** The restart this policy asked for (the trainer has then stopped), if any. */
    public java.util.Optional<Restart> restart() {
        return java.util.Optional.ofNullable(restart);
    }

    /**
     * This run is an earlier attempt's restart: its repairs (the restart among them) come first in {@link #actions},
     * count against the tries, and no second restart is made.
     */
    public RepairPolicy after(List<RepairAction> before) {
        earlier.addAll(before);
        return this;
    }

    private boolean restarts = true;

    /** No restarts (a data-parallel run: its replicas would go on training the config they were given). */
    public RepairPolicy withoutRestarts() {
        restarts = false;
        return this;
    }

    private boolean restarted() {
        return !restarts || restart != null || !earlier.isEmpty() && earlier.stream().anyMatch(a -> a.rolledBackTo() == 0 && a.remedy().startsWith(RESTARTED));
    }

    static final String RESTARTED = "restarted from step 0 with ";

    /** Restarts with the pending change when it is affordable (see RESTART_SHARE); true when it did. */
    private boolean restartIfAffordable(Trainer trainer, BatchEvent event) {
        dev.ravine.doctor.probe.Hypothesis h = pendingRestart;
        pendingRestart = null;
        long planned = (long) trainer.options().epochs() * event.batchesPerEpoch();
        if (earlier.size() + actions.size() >= options.maxTries() || event.step() > RESTART_SHARE * planned) return false;
        double scale = trainer.optimizer().lrScale();
        RepairAction action = new RepairAction(event.step(), h.findingId(), RESTARTED + h.remedy().patchText() + " (the probe winner, "
                + h.change() + ")", 0, scale, 1);
        restart = new Restart(action, h.remedy().patches());
        actions.add(action);
        trainer.requestStop("the doctor restarts the run from step 0 with " + h.remedy().patchText());
        actionListeners.forEach(l -> l.accept(action));
        return true;
    }

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
        if (restart != null) return; // the run is ending, to start again
        if (pendingRestart != null && restartIfAffordable(trainer, event)) {
            pendingBlocking = null;
            return;
        }
        if (pendingBlocking != null && !awaiting.test(pendingBlocking.id())) {
            Finding f = pendingBlocking;
            pendingBlocking = null;
            repair(trainer, event.step(), f.id(), f.firstStep());
            return;
        }
        snapshots.afterStep(trainer, event);
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

    /**
     * Goes back to the newest snapshot taken before the trouble began (the earliest open finding, or this step) and
     * lowers the learning rate. If the last repair went back to the same snapshot and trouble came again, that
     * snapshot was already on the bad path (weights can be finite yet doomed), so it goes one further back.
     */
    private void repair(Trainer trainer, long step, String findingId, long troubleStep) {
        if (earlier.size() + actions.size() >= options.maxTries() || restart != null) return;
        long troubleBegan = Math.min(troubleStep, troubleSince);
        // The remedy is the root cause's (dev.ravine.doctor.finding.Findings ranks them): a NaN that follows a loss
        // diverging from a sane start is lr_too_high's, lowered learning rate, not the NaN's own exploding_gradients.
        Finding cause = dev.ravine.doctor.finding.Findings.top(List.copyOf(open.values())).orElse(null);
        if (cause != null) findingId = cause.id();
        dev.ravine.doctor.probe.Hypothesis winner = winners.get(findingId);
        String won = winner == null ? "" : winner.change();
        troubleSince = Long.MAX_VALUE;
        double before = trainer.optimizer().lrScale();
        if (won.equals("lr*3")) { // a step too small did no harm: the steps taken stand, the larger rate applies from here
            record(new RepairAction(step, findingId, "optimizer.lr x 3 (the probe winner), no rollback", step, before, 3 * before), trainer);
            return;
        }
        // new initial weights mean a new start: the rollback goes to the run's start
        Snapshot target = won.equals("init") ? snapshots.start() : target(troubleBegan);
        if (target == null) return;
        trainer.rollback(target.checkpoint());
        snapshots.rolledBack(target.step());
        // Gradients that explode at step 1 were computed at the initial weights, before any step: the initialization, which
        // no learning rate fixes, is the cause, so the exploding_gradients remedy "init: he_normal" is applied instead (note 003).
        boolean reinitialize = won.equals("init") || winner == null && findingId.equals("exploding_gradients") && troubleBegan <= 1
                && target == snapshots.start() && (cause == null || cause.firstStep() <= 1);
        String drawn = null;
        if (reinitialize) {
            Reinitialization plan = Reinitialization.of(trainer.model());
            // the repair count tells this draw from an earlier one made after a rollback to the same start
            trainer.reinitialize(plan.byParameter(), actions.size());
            drawn = plan.describe();
            // the re-drawn weights are the run's start from now on: a later rollback to the start must not bring back
            // the initialization that failed
            snapshots.replaceStart(trainer);
        }
        // The checkpoint carries its own lr scale; the repair lowers the one that was in force when things went wrong.
        double factor = switch (won) {
            case "lr/10" -> 0.1;
            case "lr/3" -> 1.0 / 3;
            default -> options.lrFactor();
        };
        double after = reinitialize ? before : before * factor; // the lr was not what failed
        String remedy = reinitialize ? "weights re-drawn with " + drawn : "optimizer.lr x " + fmt(factor);
        if (winner != null) {
            remedy += APPLICABLE.contains(won) ? " (the probe winner)" : " (the probe winner, " + winner.remedy().change()
                    + ", is a config change the trainer cannot make: ravine doctor --fix)";
        }
        record(new RepairAction(step, findingId, remedy, target.step(), before, after), trainer);
    }

    /** Sets the repair's learning-rate scale and records it. */
    private void record(RepairAction action, Trainer trainer) {
        trainer.setLrScale(action.lrScaleAfter());
        actions.add(action);
        actionListeners.forEach(l -> l.accept(action));
    }

    /**
     * The newest snapshot taken before the trouble began whose loss had not already climbed well above the best
     * before it (one that had was taken on the way up), else the run's start. If the last repair went back to that snapshot and trouble
     * came again, it was already on the bad path (weights can be finite yet doomed), so it goes one further back.
     */
    private Snapshot target(long troubleBegan) {
        List<Snapshot> sane = new ArrayList<>();
        for (Snapshot s : snapshots.held()) if (s.step() < troubleBegan && s.loss() <= 2 * s.bestLoss()) sane.add(s);
        if (!actions.isEmpty() && !sane.isEmpty() && sane.getLast().step() == actions.getLast().rolledBackTo()) sane.removeLast();
        return sane.isEmpty() ? snapshots.start() : sane.getLast();
    }

    private static String fmt(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }
}
