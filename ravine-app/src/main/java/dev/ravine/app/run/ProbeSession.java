package dev.ravine.app.run;

import dev.ravine.app.build.RunAssembly;
import dev.ravine.app.config.RunConfig;
import dev.ravine.app.store.RunStore;
import dev.ravine.doctor.Doctor;
import dev.ravine.doctor.finding.ConfigPatch;
import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Severity;
import dev.ravine.doctor.probe.ArmResult;
import dev.ravine.doctor.probe.EffectSize;
import dev.ravine.doctor.probe.Hypothesis;
import dev.ravine.doctor.probe.ProbeBudget;
import dev.ravine.doctor.probe.ProbeEvidence;
import dev.ravine.doctor.probe.ProbeOutcome;
import dev.ravine.doctor.probe.ProbePlan;
import dev.ravine.doctor.probe.ProbeStart;
import dev.ravine.doctor.snapshot.RollingSnapshots;
import dev.ravine.doctor.snapshot.RollingSnapshots.Snapshot;
import dev.ravine.io.Checkpoint;
import dev.ravine.train.BatchEvent;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingListener;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The doctor's diagnosis by experiment, live: when a finding opens, the changes that would remove its cause
 * ({@link ProbePlan}) are each trained for a few steps in a fork of the run ({@link ProbeFork}) beside an unchanged
 * control from the same start over the same batches, and {@link EffectSize} says which change made the loss behave.
 * Every probe is a row of run.db's probes table; the doctor then carries the outcome in the finding (confirmed
 * first, refuted demoted: {@link ProbeEvidence}) and a repair applies the winner. The forks start from a rolling
 * in-memory snapshot taken before the trouble began (the run's {@link RollingSnapshots}, which the NaN tracer and the
 * repair share) or from the
 * run's start, and all of them together stay within the {@link ProbeBudget}: a share of the run's steps, counted in
 * steps, so that which probes run depends on the run and not on the machine's load. Their wall time is measured too,
 * for summary.json's probe_share.
 */
final class ProbeSession implements TrainingListener, Doctor.FindingListener {
    /** Steps each arm trains, at most, and at least (fewer would measure noise). */
    static final int STEPS = 40;
    static final int MIN_STEPS = 8;
    /**
     * Steps the run takes before its findings are probed: 20, so that the findings of the first steps have opened and
     * share their probes, but at most a twentieth of a short run (and at least 5), so that a restart its probes call
     * for still fits the repair's tenth of the run ({@link dev.ravine.doctor.repair.RepairPolicy#RESTART_SHARE}).
     */
    static final int WARMUP_STEPS = 20;
    static final int MIN_WARMUP_STEPS = 5;

    static long warmupSteps(long plannedSteps) {
        return Math.min(WARMUP_STEPS, Math.max(MIN_WARMUP_STEPS, plannedSteps / 20));
    }

    /** Hears each finding's probes once they are done (the repair, to apply the winner). */
    interface Listener {
        void probed(Finding finding, List<ProbeOutcome> outcomes);
    }

    private final RunAssembly run;
    private final Function<List<String>, RunConfig> patched;
    private final Doctor doctor;
    private final RunStore store;
    private final ProbeBudget budget;
    private final EffectSize rule = EffectSize.defaults();
    private final long plannedSteps;
    private final List<Listener> listeners = new ArrayList<>();
    /** The run's rolling snapshots, shared with the NaN tracer and the repair. */
    private final RollingSnapshots snapshots;
    private final Set<String> pending = new LinkedHashSet<>();
    private final Set<String> probed = new java.util.HashSet<>();
    /** Control arms already trained, by start step and length: several findings share one control. */
    private final Map<Long, Control> controls = new HashMap<>();
    /** The run's steps so far (replayed ones after a rollback included: each cost a step). */
    private long stepsSeen;
    private int probesRun;
    private boolean repairing;

    /**
     * @param patched    the run's config with {@code --set} arguments applied (read by the config reader, so a patch the
     *                   reader refuses fails there)
     */
    ProbeSession(RunAssembly run, Function<List<String>, RunConfig> patched, Doctor doctor, RunStore store, ProbeBudget budget, long plannedSteps,
            RollingSnapshots snapshots) {
        this.snapshots = snapshots;
        this.run = run;
        this.patched = patched;
        this.doctor = doctor;
        this.store = store;
        this.budget = budget;
        this.plannedSteps = plannedSteps;
    }

    ProbeSession onProbed(Listener listener) {
        listeners.add(listener);
        return this;
    }

    ProbeBudget budget() {
        return budget;
    }

    int probesRun() {
        return probesRun;
    }

    /** A restarted run's probes: those of the attempt before count as this run's (its budget and its summary). */
    ProbeSession after(int probes, long steps, double seconds) {
        probesRun += probes;
        budget.spendSteps(steps);
        budget.spend(seconds);
        return this;
    }

    /** Whether finding {@code id} is waiting for its probes (a repair waits for their winner). */
    boolean awaiting(String id) {
        return pending.contains(id);
    }

    @Override
    public void opened(Finding f) {
        if (f.severity() == Severity.INFO || probed.contains(f.id())) return;
        if (!ProbePlan.of(f, doctor.facts()).isEmpty()) pending.add(f.id());
    }

    @Override
    public void onBatchEnd(Trainer trainer, BatchEvent event) {
        stepsSeen++;
        snapshots.afterStep(trainer, event);
        if (!pending.isEmpty() && stepsSeen >= warmupSteps(plannedSteps)) probePending(event.step(), plannedSteps - stepsSeen);
    }

    /**
     * A non-finite loss or gradient ends the run here unless a repair saves it: the budget is then a share of the
     * steps so far, not of the steps planned.
     */
    @Override
    public void onNonFiniteLoss(Trainer trainer, long step, int epoch, double loss) {
        if (!pending.isEmpty()) probePending(step, afterNonFinite());
    }

    @Override
    public void onNonFiniteGradients(Trainer trainer, long step, int epoch, double loss, double gradientNorm) {
        if (!pending.isEmpty()) probePending(step, afterNonFinite());
    }

    /** The steps left after a non-finite loss: none, unless a repair will carry the run on. */
    private long afterNonFinite() {
        return repairing ? plannedSteps - stepsSeen : 0;
    }

    /** With a repair listening, a non-finite loss no longer ends the run. */
    ProbeSession repairing(boolean on) {
        this.repairing = on;
        return this;
    }

    /** After the run's last step: findings opened by the end-of-run checks, or still waiting, are probed now. */
    void finish(long step) {
        budget.project(stepsSeen, 0); // the steps the run took, for the summary's budget even when nothing was probed
        for (Finding f : doctor.findings()) opened(f);
        if (!pending.isEmpty()) probePending(step, 0);
    }

    private void probePending(long step, long stepsLeft) {
        budget.project(stepsSeen, stepsLeft);
        for (String id : List.copyOf(pending)) {
            pending.remove(id);
            probed.add(id);
            Optional<Finding> f = doctor.finding(id);
            if (f.isEmpty() || f.get().severity() == Severity.INFO) continue;
            List<ProbeOutcome> outcomes = probe(f.get(), step);
            doctor.recordProbes(id, outcomes);
            Finding now = doctor.finding(id).orElseThrow();
            for (Listener l : listeners) l.probed(now, outcomes);
        }
    }

    private List<ProbeOutcome> probe(Finding f, long step) {
        List<Hypothesis> plan = ProbePlan.of(f, doctor.facts());
        List<ProbeOutcome> out = new ArrayList<>();
        for (Hypothesis h : plan) {
            long t0 = System.nanoTime();
            ProbeOutcome o;
            try {
                o = probe(h, f);
            } finally {
                budget.spend((System.nanoTime() - t0) * 1e-9); // building the fork counts, not only its steps
            }
            out.add(o);
            store.putProbe(step, o);
            if (o.control() != null) probesRun++;
        }
        return out;
    }

    /** A control arm as trained: the steps it was asked for (it may have diverged sooner) and its result. */
    private record Control(int steps, ArmResult result) {}

    /**
     * One hypothesis: its fork and, unless one was already trained from the same start, the unchanged control, for
     * the same number of steps over the same batches. Skipped when the budget has no room or the patched config
     * cannot be built.
     */
    private ProbeOutcome probe(Hypothesis h, Finding f) {
        Snapshot from = h.start() == ProbeStart.SNAPSHOT ? before(f.firstStep()) : null;
        // nothing is built when not even the shortest arm fits: building a fork (for a change of the data, reading the
        // data again) costs budget too, and on the suite's raw-pixel CNN it alone took a probe share of 0.2
        if (budget.stepsThatFit(MIN_STEPS, MIN_STEPS, 1) == 0) return ProbeOutcome.skipped(h, from == null ? 0 : from.step());
        ProbeFork fork;
        try {
            RunConfig config = patched.apply(h.remedy().patches().stream().map(ConfigPatch::setArgument).toList());
            boolean sameData = h.remedy().patches().stream().noneMatch(p -> p.path().startsWith("data"));
            fork = new ProbeFork(sameData ? RunAssembly.of(config, run.data()) : RunAssembly.of(config));
        } catch (RuntimeException refused) {
            return ProbeOutcome.skipped(h, from == null ? 0 : from.step());
        }
        if (from != null && !fork.fits(from.checkpoint())) from = null; // the change reshapes the optimizer's state: both start fresh
        long fromStep = from == null ? 0 : from.step();
        Checkpoint start = from == null ? null : from.checkpoint();
        Control control = controls.get(fromStep);
        int steps = control != null ? control.steps() : budget.stepsThatFit(STEPS, MIN_STEPS, 2);
        if (steps == 0 || control != null && budget.stepsThatFit(steps, steps, 1) == 0) return ProbeOutcome.skipped(h, fromStep);
        if (control == null) {
            ArmResult c = arm(new ProbeFork(run), start, steps);
            if (c == null) return ProbeOutcome.skipped(h, fromStep);
            control = new Control(steps, c);
            controls.put(fromStep, control);
        }
        ArmResult p = arm(fork, start, steps);
        if (p == null) return ProbeOutcome.skipped(h, fromStep);
        return ProbeOutcome.measured(h, fromStep, steps, STEPS, control.result(), p, rule);
    }

    /** An arm of {@code steps} steps, counted against the budget (null: it could not train). */
    private ArmResult arm(ProbeFork fork, Checkpoint start, int steps) {
        ArmResult r = fork.train(start, steps, () -> false);
        budget.spendSteps(steps); // what the budget granted, whether or not the arm diverged sooner
        return r;
    }

    /** The newest rolling snapshot before the trouble (the start not among them: a fresh fork is the same start). */
    private Snapshot before(long troubleStep) {
        Snapshot best = null;
        for (Snapshot s : snapshots.held()) if (s.step() < troubleStep) best = s;
        return best;
    }
}

