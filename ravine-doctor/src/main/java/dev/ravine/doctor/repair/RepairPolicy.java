package dev.ravine.doctor.repair;

import dev.ravine.doctor.Doctor;
import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Findings;
import dev.ravine.doctor.finding.Remedy;
import dev.ravine.doctor.finding.Severity;
import dev.ravine.doctor.probe.Hypothesis;
import dev.ravine.doctor.probe.ProbeEvidence;
import dev.ravine.doctor.probe.ProbeOutcome;
import dev.ravine.doctor.probe.ProbeStart;
import dev.ravine.doctor.probe.ProbeVerdict;
import dev.ravine.doctor.snapshot.RollingSnapshots;
import dev.ravine.doctor.snapshot.RollingSnapshots.Snapshot;
import dev.ravine.train.BatchEvent;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingListener;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Repairs a run that a blocking problem would otherwise end (a NaN/Inf loss, or a blocking finding such as a
 * diverging loss), or that a finding whose top remedy is a lower learning rate says is going wrong
 * ({@link #LR_FINDINGS}): it goes back to the newest rolling snapshot taken before the trouble began and continues with
 * the learning rate lowered by {@code lrFactor}; gradients that exploded at step 1 were computed at the initial weights,
 * so it re-draws them instead (the initialization fitting the activations, {@link Reinitialization}). Bounded: after
 * {@code maxTries} repairs it lets the run end. Acts only through the trainer's public controls (rollback, lr scale,
 * re-initialization, stop); every action is recorded.
 *
 * <p>Each repair is judged {@link #judgeSteps} steps later ({@link RepairJudge}): healed when the mean batch loss over
 * the window's last half is at most {@link #HEALED} of the mean over the steps before the repair. Trouble reported while
 * a repair is being judged waits for the verdict (a detector's window still holds the steps before the repair, and
 * fired again on them), except a non-finite loss, which ends the judging as not healed. A repair that did not heal is
 * followed at once by the next remedy for its finding ({@link #ladder}): the next probe winner, else the learning rate
 * x10 after a x3 that did not move the loss, lr/10 after a lower learning rate that did not heal a step too large
 * (lr_too_high, adaptive_spike), the initialization after one that did not heal another finding, or a lower learning
 * rate after a re-drawn initialization. A finding repaired twice without healing is not repaired again,
 * and its last repair's note says so.
 *
 * <p>With the doctor's probes ({@link #probed}) it waits for a finding's probes before it acts, then applies the
 * winning change where the trainer can make it (the learning rate /3, /10 or x3, the initialization fitting the
 * activations), also for a confirmed cause that is no blocking problem (a learning rate too low); a finding the probes
 * refuted is not repaired at all. A change the trainer cannot make (clipping, an activation, standardized or shuffled
 * inputs, a wider net) is a {@link Restart}: the trainer stops and the run starts again from step 0 with the change
 * patched into its config, once, and only while the steps it throws away are at most {@link #RESTART_SHARE} of the
 * run's. The data findings ({@link #DATA_FINDINGS}: inputs unscaled, batches unshuffled) restart with their own first
 * remedy whether or not a probe ran: the data checks settle them by counting, and no learning rate fixes them. The
 * points it rolls back to are the run's shared {@link RollingSnapshots}.
 */
public final class RepairPolicy implements TrainingListener, Doctor.FindingListener {
    /** Findings whose first remedy is a lower learning rate, which a repair applies at any severity above a note. */
    public static final Set<String> LR_FINDINGS = Set.of("lr_too_high", "adaptive_spike", "dead_relu", "exploding_gradients");
    /** Findings whose cause is a step too large: a lower learning rate that did not heal them is followed by a lower one. */
    static final Set<String> STEP_FINDINGS = Set.of("lr_too_high", "adaptive_spike");
    /** Changes the trainer can make by itself, so a repair can apply them when a probe shows they win. */
    public static final Set<String> APPLICABLE = Set.of("lr/3", "lr/10", "lr*3", "lr*10", "init");
    /** Findings of the data that a restart with their first data remedy repairs, probed or not. */
    public static final Set<String> DATA_FINDINGS = Set.of("data_scale", "data_unshuffled");
    /**
     * A restart throws away the steps before it: it is taken only while they are at most this share of the run's, so
     * that with the probes' own tenth the repaired run stays within 1.2x of a clean one.
     */
    public static final double RESTART_SHARE = 0.1;
    /** A repair healed when the loss after it is at most this share of the loss before it. */
    public static final double HEALED = 0.9;
    /** Repairs of one finding that did not heal after which it is not repaired again. */
    public static final int FUTILE = 2;
    static final String RESTARTED = "restarted from step 0 with ";

    private final RepairOptions options;
    /** The run's rolling snapshots, shared with the NaN tracer and the probes; its start is the last resort. */
    private final RollingSnapshots snapshots;
    private final List<RepairAction> actions = new ArrayList<>();
    /** Repairs made before a restart, in the run's earlier attempt: they count against maxTries. */
    private final List<RepairAction> earlier = new ArrayList<>();
    private final List<Consumer<RepairAction>> actionListeners = new ArrayList<>();
    /** The findings open now, by id: the root cause among them decides the remedy. */
    private final Map<String, Finding> open = new LinkedHashMap<>();
    /** The probe-confirmed hypotheses of each finding id, strongest first. */
    private final Map<String, List<Hypothesis>> confirmed = new HashMap<>();
    /** Repairs of each finding id judged not healed. */
    private final Map<String, Integer> unhealed = new HashMap<>();
    /** The changes tried for each finding id, so that the next remedy is another. */
    private final Map<String, List<String>> tried = new HashMap<>();
    /** The lr scale in force before each finding's first repair: lr/3 and lr/10 are of it, not compounded. */
    private final Map<String, Double> baseScale = new HashMap<>();
    private final Set<String> stopped = new HashSet<>();
    /** The loss at which each finding's last repair was judged healed (removed when one was not). */
    private final Map<String, Double> healedAt = new HashMap<>();
    private final RepairJudge judge = new RepairJudge();
    private Finding pendingBlocking;
    /** The earliest step at which an open finding says trouble began (since the last repair), or MAX_VALUE. */
    private long troubleSince = Long.MAX_VALUE;
    /** Ids whose probes have not reported yet: a repair for them waits. */
    private Predicate<String> awaiting = id -> false;
    /** A change the trainer cannot make, waiting for the next step's end to restart the run with it. */
    private Hypothesis pendingRestart;
    private Restart restart;
    private boolean restarts = true;
    private long plannedSteps = Long.MAX_VALUE;
    /** The run's first finite batch loss: the scale a snapshot's rise above the best is measured on. */
    private double firstLoss = Double.NaN;

    public RepairPolicy(RepairOptions options, RollingSnapshots snapshots) {
        this.options = options;
        this.snapshots = snapshots;
    }

    /** Hears each repair as it happens (the terminal line). */
    public RepairPolicy onAction(Consumer<RepairAction> listener) {
        actionListeners.add(listener);
        return this;
    }

    /** The repairs of this run, an earlier attempt's first, each with its verdict as judged so far. */
    public List<RepairAction> actions() {
        List<RepairAction> all = new ArrayList<>(earlier);
        all.addAll(actions);
        return List.copyOf(all);
    }

    /** A repair of finding id waits while {@code awaiting} says its probes have not reported. */
    public RepairPolicy waitFor(Predicate<String> awaiting) {
        this.awaiting = awaiting;
        return this;
    }

    /**
     * This run is an earlier attempt's restart: its repairs (the restart among them) come first in {@link #actions},
     * count against the tries, and no second restart is made.
     */
    public RepairPolicy after(List<RepairAction> before) {
        earlier.addAll(before);
        return this;
    }

    /** No restarts (a data-parallel run: its replicas would go on training the config they were given). */
    public RepairPolicy withoutRestarts() {
        restarts = false;
        return this;
    }

    /** The restart this policy asked for (the trainer has then stopped), if any. */
    public Optional<Restart> restart() {
        return Optional.ofNullable(restart);
    }

    /** Steps after a repair at which it is judged: a tenth of the run, at least 5 and at most 20. */
    public static long judgeSteps(long plannedSteps) {
        return Math.min(20, Math.max(5, plannedSteps / 10));
    }

    @Override
    public void onTrainingStart(Trainer trainer) {
        snapshots.start(trainer);
    }

    /**
     * The probes of {@code finding} reported (the finding as the doctor now holds it): refuted, it is not repaired;
     * confirmed with a change the trainer can make, that change is what the repair applies, and it repairs then even
     * a finding it would otherwise leave alone. A data finding whose probe did not confirm another change restarts
     * with its own remedy.
     */
    public void probed(Finding finding, List<ProbeOutcome> outcomes) {
        if (ProbeEvidence.refuted(outcomes) || finding.severity() == Severity.INFO) {
            open.remove(finding.id());
            if (pendingBlocking != null && pendingBlocking.id().equals(finding.id())) pendingBlocking = null;
            return;
        }
        open.put(finding.id(), finding);
        List<Hypothesis> won = outcomes.stream().filter(o -> o.verdict() == ProbeVerdict.CONFIRMED)
                .sorted(Comparator.comparingDouble(ProbeOutcome::effect).thenComparingDouble(o -> -o.probe().endLoss()).reversed())
                .map(ProbeOutcome::hypothesis).toList();
        if (won.isEmpty()) {
            dataRestart(finding).ifPresent(this::askRestart);
            return;
        }
        confirmed.put(finding.id(), won);
        Hypothesis h = won.getFirst();
        boolean repaired = tried.containsKey(finding.id());
        if (pendingBlocking == null && !repaired && APPLICABLE.contains(h.change())) pendingBlocking = finding;
        if (!APPLICABLE.contains(h.change()) && !h.remedy().patches().isEmpty()) askRestart(h);
    }

    private void askRestart(Hypothesis h) {
        if (!restarted() && pendingRestart == null) pendingRestart = h;
    }

    /** A data finding's own first remedy that patches the data, as the change a restart makes. */
    private static Optional<Hypothesis> dataRestart(Finding f) {
        if (!DATA_FINDINGS.contains(f.id()) || f.severity() == Severity.INFO) return Optional.empty();
        for (Remedy r : f.remedies()) {
            if (!r.patches().isEmpty() && r.patches().stream().allMatch(p -> p.path().startsWith("data"))) {
                return Optional.of(new Hypothesis(f.id(), "remedy", r, ProbeStart.RUN_START));
            }
        }
        return Optional.empty();
    }

    private boolean restarted() {
        return !restarts || restart != null || earlier.stream().anyMatch(a -> a.rolledBackTo() == 0 && a.remedy().startsWith(RESTARTED));
    }

    @Override
    public void closed(Finding finding) {
        open.remove(finding.id());
    }

    @Override
    public void opened(Finding finding) {
        open.put(finding.id(), finding);
        if (finding.severity() != Severity.INFO) troubleSince = Math.min(troubleSince, finding.firstStep());
        dataRestart(finding).ifPresent(this::askRestart); // settled by counting: no probe is waited for
        // a note (INFO) says the finding is not the run's problem (dead units in a run that learnt anyway): nothing to repair;
        // the doctor announces it again if it becomes one
        if (finding.severity() == Severity.BLOCKING || LR_FINDINGS.contains(finding.id()) && finding.severity() != Severity.INFO) pendingBlocking = finding;
    }

    @Override
    public void onBatchEnd(Trainer trainer, BatchEvent event) {
        if (restart != null) return; // the run is ending, to start again
        plannedSteps = (long) trainer.options().epochs() * event.batchesPerEpoch();
        judge.observe(event.loss());
        if (Double.isNaN(firstLoss) && Double.isFinite(event.loss())) firstLoss = event.loss();
        if (pendingRestart != null && restartIfAffordable(trainer, event)) {
            pendingBlocking = null;
            return;
        }
        if (judge.judging() && judge.due(judgeSteps(plannedSteps))) {
            if (judged(trainer, event.step())) return;
        }
        if (pendingBlocking != null && !judge.judging() && !awaiting.test(pendingBlocking.id())) {
            Finding f = pendingBlocking;
            pendingBlocking = null;
            repair(trainer, event.step(), f.id(), f.firstStep());
            return;
        }
        snapshots.afterStep(trainer, event);
    }

    /**
     * The repair being judged has had its steps: the verdict goes into its record. Healed, trouble reported meanwhile
     * is dropped (the detectors heard the steps before the repair); not healed, the next remedy follows now. True when
     * a repair was made.
     */
    private boolean judged(Trainer trainer, long step) {
        RepairAction a = verdict(judge.verdict(HEALED));
        if (a.verdict() == RepairAction.Verdict.HEALED) {
            pendingBlocking = null;
            return false;
        }
        if (stopped.contains(a.findingId()) || !open.containsKey(a.findingId()) && pendingBlocking == null) return false;
        Finding f = pendingBlocking != null ? pendingBlocking : open.get(a.findingId());
        pendingBlocking = null;
        int before = actions.size();
        repair(trainer, step, f.id(), f.firstStep());
        return actions.size() > before;
    }

    /** Writes the judge's verdict into the repair it judged; the second futile one of a finding stops its repairs. */
    private RepairAction verdict(RepairJudge.Verdict v) {
        RepairAction a = actions.get(v.index()).judged(v.lossAfter(), v.healed());
        if (v.healed()) healedAt.put(a.findingId(), v.lossAfter());
        else healedAt.remove(a.findingId());
        if (!v.healed()) {
            int n = unhealed.merge(a.findingId(), 1, Integer::sum);
            if (n >= FUTILE) {
                stopped.add(a.findingId());
                a = a.noted("not repaired again: " + n + " repairs of " + a.findingId() + " did not heal it");
            } else {
                a = a.noted("did not heal: the next remedy follows");
            }
        }
        actions.set(v.index(), a);
        return a;
    }

    @Override
    public void onNonFiniteLoss(Trainer trainer, long step, int epoch, double loss) {
        nonFinite(trainer, step);
    }

    @Override
    public void onNonFiniteGradients(Trainer trainer, long step, int epoch, double loss, double gradientNorm) {
        nonFinite(trainer, step);
    }

    /** A non-finite loss cannot wait for a verdict: the repair being judged did not heal, and the next one acts now. */
    private void nonFinite(Trainer trainer, long step) {
        pendingBlocking = null;
        judge.observe(Double.NaN);
        if (judge.judging()) verdict(judge.verdict(HEALED));
        healedAt.clear(); // a non-finite loss is trouble whatever was healed before
        repair(trainer, step, "exploding_gradients", step);
    }

    /**
     * The next remedy for the root cause among the open findings (dev.ravine.doctor.finding.Findings ranks them: a NaN
     * that follows a loss diverging from a sane start is lr_too_high's), unless that finding's repairs were futile.
     */
    private void repair(Trainer trainer, long step, String findingId, long troubleStep) {
        if (earlier.size() + actions.size() >= options.maxTries() || restart != null) return;
        long troubleBegan = Math.min(troubleStep, troubleSince);
        Finding cause = Findings.top(List.copyOf(open.values())).orElse(null);
        if (cause != null && !stopped.contains(cause.id())) findingId = cause.id();
        if (stopped.contains(findingId)) return;
        // a finding whose last repair healed opens again from the detectors' view of the run, but the loss decides:
        // unless it has risen by more than the healing margin over its level at the verdict (batch noise moves it by
        // less), the run is not in trouble and nothing is undone
        Double healed = healedAt.get(findingId);
        if (healed != null && !(judge.recentMean() > healed / HEALED)) return;
        if (cause != null && cause.id().equals(findingId) && dataRestart(cause).isPresent() && !restarted() && step <= RESTART_SHARE * plannedSteps) {
            pendingRestart = dataRestart(cause).get(); // a data finding's remedy is a restart, at the next step's end
            return;
        }
        troubleSince = Long.MAX_VALUE;
        String change = next(findingId, trainer, troubleBegan, cause);
        tried.computeIfAbsent(findingId, k -> new ArrayList<>()).add(change);
        double before = trainer.optimizer().lrScale();
        double base = baseScale.computeIfAbsent(findingId, k -> before);
        double lossBefore = judge.recentMean();
        RepairAction action = switch (change) {
            case "lr*3", "lr*10" -> raise(trainer, step, findingId, change, before);
            case "init" -> reinitialize(trainer, step, findingId, before);
            default -> lower(trainer, step, findingId, troubleBegan, change, before, base);
        };
        if (action == null) return;
        record(action.before(lossBefore), trainer);
        judge.start(actions.size() - 1, lossBefore);
    }

    /** The change this repair of {@code findingId} makes: the first of its ladder not yet tried after a futile one. */
    private String next(String findingId, Trainer trainer, long troubleBegan, Finding cause) {
        List<String> ladder = ladder(findingId, trainer, troubleBegan, cause);
        int futile = unhealed.getOrDefault(findingId, 0);
        if (futile == 0) return ladder.getFirst();
        List<String> done = tried.getOrDefault(findingId, List.of());
        for (String c : ladder) if (!done.contains(c)) return c;
        return ladder.getLast();
    }

    /**
     * The remedies for a finding, in the order a repair tries them: the probe winners the trainer can apply, strongest
     * first, else the default (the initialization when gradients exploded at step 1 from the run's start, else a lower
     * learning rate); then the escalation of the first: a learning rate x3 that did not move the loss becomes x10, a
     * lower learning rate that did not heal a step too large becomes lr/10, one that did not heal another finding gives
     * way to the initialization, a re-drawn one to a lower learning rate.
     */
    List<String> ladder(String findingId, Trainer trainer, long troubleBegan, Finding cause) {
        List<String> out = new ArrayList<>();
        for (Hypothesis h : confirmed.getOrDefault(findingId, List.of())) if (APPLICABLE.contains(h.change())) out.add(h.change());
        if (out.isEmpty()) {
            boolean fromInit = findingId.equals("exploding_gradients") && troubleBegan <= 1 && (cause == null || cause.firstStep() <= 1);
            out.add(fromInit ? "init" : "lr/x");
        }
        String first = out.getFirst();
        // a step too large is the cause of lr_too_high and adaptive_spike: their next remedy is a smaller one still
        boolean stepCause = STEP_FINDINGS.contains(findingId);
        String escalation = first.equals("lr*3") ? "lr*10" : first.equals("init") ? "lr/x" : stepCause || !hasWeights(trainer) ? "lr/10" : "init";
        if (!out.contains(escalation)) out.add(escalation);
        return out;
    }

    private static boolean hasWeights(Trainer trainer) {
        return !Reinitialization.of(trainer.model()).byParameter().isEmpty();
    }

    /** A step too small did no harm: the steps taken stand, the larger rate applies from here (x10: of what x3 gave). */
    private RepairAction raise(Trainer trainer, long step, String findingId, String change, double before) {
        double factor = change.equals("lr*3") ? 3 : 10.0 / 3;
        String why = confirmedChange(findingId, change) ? " (the probe winner)" : " (the x3 before it did not move the loss)";
        return new RepairAction(step, findingId, "optimizer.lr x " + fmt(factor) + why + ", no rollback", step, before, factor * before);
    }

    /**
     * New initial weights mean a new start: back to the run's start, weights re-drawn with the initialization fitting
     * the activations (note 003), the learning rate in force kept (it was not what failed).
     */
    private RepairAction reinitialize(Trainer trainer, long step, String findingId, double before) {
        Snapshot target = snapshots.start();
        if (target == null) return null;
        trainer.rollback(target.checkpoint());
        snapshots.rolledBack(target.step());
        Reinitialization plan = Reinitialization.of(trainer.model());
        trainer.reinitialize(plan.byParameter(), actions.size()); // the repair count tells this draw from an earlier one
        // the re-drawn weights are the run's start from now on: a later rollback must not bring back the failed ones
        snapshots.replaceStart(trainer);
        String why = confirmedChange(findingId, "init") ? " (the probe winner)" : unhealed.containsKey(findingId) ? " (the repair before did not heal)" : "";
        return new RepairAction(step, findingId, "weights re-drawn with " + plan.describe() + why, target.step(), before, before);
    }

    /**
     * Back to the newest sane snapshot before the trouble, the learning rate lowered: lr/3 and lr/10 (probe winners)
     * of the rate before the finding's first repair, the default factor of the rate in force.
     */
    private RepairAction lower(Trainer trainer, long step, String findingId, long troubleBegan, String change, double before, double base) {
        Snapshot target = target(troubleBegan);
        if (target == null) return null;
        trainer.rollback(target.checkpoint());
        snapshots.rolledBack(target.step());
        double after = switch (change) {
            case "lr/10" -> base * 0.1;
            case "lr/3" -> base / 3;
            default -> before * options.lrFactor();
        };
        if (!(after < before)) after = before * options.lrFactor(); // already that low: lower still
        String remedy = "optimizer.lr x " + fmt(after / before);
        List<Hypothesis> won = confirmed.getOrDefault(findingId, List.of());
        if (!won.isEmpty()) {
            Hypothesis w = won.getFirst();
            remedy += APPLICABLE.contains(w.change()) ? " (the probe winner)" : " (the probe winner, " + w.remedy().change()
                    + ", is a config change the trainer cannot make: ravine doctor --fix)";
        }
        return new RepairAction(step, findingId, remedy, target.step(), before, after);
    }

    private boolean confirmedChange(String findingId, String change) {
        return confirmed.getOrDefault(findingId, List.of()).stream().anyMatch(h -> h.change().equals(change));
    }

    /** Restarts with the pending change when it is affordable (see RESTART_SHARE); true when it did. */
    private boolean restartIfAffordable(Trainer trainer, BatchEvent event) {
        Hypothesis h = pendingRestart;
        pendingRestart = null;
        if (earlier.size() + actions.size() >= options.maxTries() || event.step() > RESTART_SHARE * plannedSteps) return false;
        double scale = trainer.optimizer().lrScale();
        String why = h.change().equals("remedy") ? " (the " + h.findingId() + " finding's remedy)" : " (the probe winner, " + h.change() + ")";
        RepairAction action = new RepairAction(event.step(), h.findingId(), RESTARTED + h.remedy().patchText() + why, 0, scale, 1);
        restart = new Restart(action, h.remedy().patches());
        actions.add(action);
        trainer.requestStop("the doctor restarts the run from step 0 with " + h.remedy().patchText());
        actionListeners.forEach(l -> l.accept(action));
        return true;
    }

    /** Sets the repair's learning-rate scale and records it. */
    private void record(RepairAction action, Trainer trainer) {
        trainer.setLrScale(action.lrScaleAfter());
        actions.add(action);
        actionListeners.forEach(l -> l.accept(action));
    }

    /**
     * The newest snapshot taken before the trouble began whose loss had not already climbed well above the best
     * before it (one that had was taken on the way up), else the run's start. If the last repair went back to that
     * snapshot and trouble came again, it was already on the bad path (weights can be finite yet doomed), so it goes
     * one further back.
     */
    private Snapshot target(long troubleBegan) {
        List<Snapshot> sane = new ArrayList<>();
        for (Snapshot s : snapshots.held()) if (s.step() < troubleBegan && sane(s)) sane.add(s);
        if (!actions.isEmpty() && !sane.isEmpty() && sane.getLast().step() == actions.getLast().rolledBackTo()) sane.removeLast();
        return sane.isEmpty() ? snapshots.start() : sane.getLast();
    }

    /**
     * A snapshot not taken on the way up: its loss at most twice the best before it, or above it by at most a hundredth
     * of the run's first loss (a converged run's batch losses, 1e-14 to 1e-13, differ by more than 2x and are all sane).
     */
    private boolean sane(Snapshot s) {
        return s.loss() <= 2 * s.bestLoss() || Double.isFinite(firstLoss) && s.loss() - s.bestLoss() <= 0.01 * firstLoss;
    }

    private static String fmt(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }
}
