package dev.ravine.doctor;

import dev.ravine.data.DataLoader;
import dev.ravine.data.Dataset;
import dev.ravine.doctor.curvature.CurvatureMonitor;
import dev.ravine.doctor.curvature.CurvatureReading;
import dev.ravine.doctor.detect.AdaptiveSpikeDetector;
import dev.ravine.doctor.detect.BounceNotDivergence;
import dev.ravine.doctor.detect.DataDiagnosis;
import dev.ravine.doctor.detect.DeadUnitsOutlastTheJump;
import dev.ravine.doctor.detect.DeadReluDetector;
import dev.ravine.doctor.detect.Detector;
import dev.ravine.doctor.detect.EpochDetector;
import dev.ravine.doctor.detect.ExplodingGradientsDetector;
import dev.ravine.doctor.detect.ImbalanceRefuter;
import dev.ravine.doctor.detect.LossStuckAtChanceDetector;
import dev.ravine.doctor.detect.LrTooHighDetector;
import dev.ravine.doctor.detect.LrTooLowDetector;
import dev.ravine.doctor.detect.OverfittingDetector;
import dev.ravine.doctor.detect.PlateauClassifier;
import dev.ravine.doctor.detect.Refuter;
import dev.ravine.doctor.detect.RunRecord;
import dev.ravine.doctor.detect.RunawayGrowthDetector;
import dev.ravine.doctor.detect.VanishingGradientsDetector;
import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Refutation;
import dev.ravine.doctor.finding.Severity;
import dev.ravine.doctor.finding.RunFacts;
import dev.ravine.doctor.instrument.InstrumentOptions;
import dev.ravine.doctor.instrument.InstrumentPanel;
import dev.ravine.doctor.instrument.StepReading;
import dev.ravine.doctor.provenance.NonFiniteProvenance;
import dev.ravine.doctor.provenance.NonFiniteTracer;
import dev.ravine.doctor.probe.ProbeEvidence;
import dev.ravine.doctor.probe.ProbeOutcome;
import dev.ravine.tensor.Tensor;
import dev.ravine.train.BatchEvent;
import dev.ravine.train.EpochEvent;
import dev.ravine.train.StopRequest;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingListener;
import dev.ravine.train.TrainingResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Watches a run: its instruments read every step, its detectors examine a sliding window of readings after each
 * full reading, and findings open (the first time a detector fires) and close (when it stops firing). It only
 * reads; repairs act through the trainer. Listeners hear each opening and closing, which is the one line the
 * terminal shows.
 */
public final class Doctor implements TrainingListener {
    /** Hears findings open and close. */
    public interface FindingListener {
        void opened(Finding finding);

        default void closed(Finding finding) {}
    }

    private final InstrumentPanel panel;
    private final List<Detector> detectors;
    private final List<EpochDetector> epochDetectors;
    private final List<EpochEvent> epochs = new ArrayList<>();
    private RunFacts facts;
    private final int windowSteps;
    private final ArrayDeque<StepReading> window = new ArrayDeque<>();
    private final Map<String, Finding> open = new LinkedHashMap<>();
    private final Map<String, Finding> everOpened = new LinkedHashMap<>();
    private final List<FindingListener> listeners = new ArrayList<>();
    private CurvatureMonitor curvatureMonitor;
    private final ArrayDeque<CurvatureReading> curvature = new ArrayDeque<>();
    private final List<Consumer<CurvatureReading>> curvatureSinks = new ArrayList<>();
    private PlateauWatch plateaus;
    private NonFiniteTracer tracer;
    private NonFiniteProvenance provenance;
    private final List<Consumer<NonFiniteProvenance>> provenanceSinks = new ArrayList<>();
    /** The counterfactual probes run for each finding id, applied to it whenever it is reported (ProbeEvidence). */
    private final Map<String, List<ProbeOutcome>> probes = new LinkedHashMap<>();

    /** A doctor with the given step detectors and the {@link #standardEpochDetectors() standard epoch detectors}. */
    /** What the detectors know of the run (its first loss once seen). */
    public RunFacts facts() {
        return facts;
    }

    public Doctor(InstrumentOptions options, List<Detector> detectors, RunFacts facts, int windowSteps) {
        this(options, detectors, standardEpochDetectors(), facts, windowSteps);
    }

    public Doctor(InstrumentOptions options, List<Detector> detectors, List<EpochDetector> epochDetectors, RunFacts facts, int windowSteps) {
        this.panel = new InstrumentPanel(options).onReading(this::onReading);
        this.detectors = List.copyOf(detectors);
        this.epochDetectors = List.copyOf(epochDetectors);
        this.facts = facts;
        this.windowSteps = windowSteps;
    }

    /** The detectors of this rules with their documented defaults. */
    public static List<Detector> standardDetectors() {
        return List.of(ExplodingGradientsDetector.defaults(), VanishingGradientsDetector.defaults(), DeadReluDetector.defaults(),
                LrTooLowDetector.defaults(), LossStuckAtChanceDetector.defaults(), LrTooHighDetector.defaults(), AdaptiveSpikeDetector.defaults(),
                RunawayGrowthDetector.defaults());
    }

    /** The detectors examined after each epoch (over every epoch so far) with their documented defaults. */
    public static List<EpochDetector> standardEpochDetectors() {
        return List.of(OverfittingDetector.defaults());
    }

    /**
     * Checks the training data before the first step ({@link DataDiagnosis#defaults()}: data_nan, data_scale,
     * data_imbalance, data_unshuffled; constant features only inside data_scale) and opens a finding for each
     * problem; they stay open for the run.
     *
     * @param loader the training loader, for its first epoch's order (may be null)
     * @return the findings this check produced
     */
    public List<Finding> examineData(Dataset train, DataLoader loader) {
        return examineData(train, loader, false);
    }

    /** As above; {@code tokenIds}: the inputs are an embedding's token ids, whose scale is no problem (no data_scale). */
    public List<Finding> examineData(Dataset train, DataLoader loader, boolean tokenIds) {
        // what the inputs already are, so that no later remedy asks for it (standardize on standardized data)
        if (!tokenIds) facts = facts.withInputsStandardized(DataDiagnosis.standardized(train));
        List<Finding> found = DataDiagnosis.defaults().examine(train, loader, tokenIds);
        for (Finding f : found) report(f.id(), Optional.of(f));
        return found;
    }

    /**
     * Opens a finding from an analysis outside the detectors (an on-demand or end-of-run check such as
     * model_bias / optimization_issue): listeners hear it and it stays among {@link #findings()}.
     */
    public void record(Finding finding) {
        report(finding.id(), Optional.of(finding));
    }

    /**
     * The probes that tested finding {@code id}: from now on the finding carries them as evidence, is ranked first
     * when one confirmed it, and is demoted to INFO when all of them refuted it ({@link ProbeEvidence}).
     */
    public void recordProbes(String id, List<ProbeOutcome> outcomes) {
        probes.computeIfAbsent(id, k -> new ArrayList<>()).addAll(outcomes);
        if (open.containsKey(id)) open.put(id, ProbeEvidence.apply(open.get(id), probes.get(id)));
        if (everOpened.containsKey(id)) everOpened.put(id, ProbeEvidence.apply(everOpened.get(id), probes.get(id)));
    }

    /** The end-of-run rules that judge a finding raised earlier against what the run did, with their documented defaults. */
    public static List<Refuter> standardRefuters() {
        return List.of(ImbalanceRefuter.defaults());
    }

    /** {@link #finish(RunRecord, List)} with the {@link #standardRefuters() standard refuters}. */
    public List<Finding> finish(RunRecord record) {
        return finish(record, standardRefuters());
    }

    /**
     * At the end of a run, each problem a refuter judges is checked against the run's outcome and demoted to INFO where
     * the outcome contradicts its harm ({@link Refutation}); the findings keep their order, and every view ranks the
     * demoted ones after the problems.
     *
     * @return the findings refuted
     */
    public List<Finding> finish(RunRecord record, List<Refuter> refuters) {
        List<Finding> refuted = new ArrayList<>();
        for (Refuter r : refuters) {
            Finding f = everOpened.get(r.findingId());
            if (f == null || f.severity() == Severity.INFO) continue;
            r.refute(f, record).ifPresent(x -> refuted.add(refute(x)));
        }
        // the plateau watch judges its own ravine against the losses it saw after it
        Finding ravine = everOpened.get("ravine");
        if (plateaus != null && ravine != null && ravine.severity() != Severity.INFO) plateaus.refutation().ifPresent(x -> refuted.add(refute(x)));
        // a rise read as divergence that came back, with a ravine read after it and the learning rate never changed (a
        // warm-up to lr 30 rose, came back as the rate grew and was read a ravine later: the rate is what changed), was the ravine's bounce
        if (plateaus != null && plateaus.constantRate()) {
            BounceNotDivergence.judge(everOpened.get("lr_too_high"), open.containsKey("lr_too_high"), everOpened.get("ravine"), plateaus.firstLoss(),
                    plateaus.endLoss()).ifPresent(x -> refuted.add(refute(x)));
        }
        // a jump the run came back from, with the ReLUs it killed still dead: the dead units are what holds the loss
        if (plateaus == null || plateaus.constantRate()) {
            DeadUnitsOutlastTheJump.judge(everOpened.get("lr_too_high"), everOpened.get("dead_relu"), open.containsKey("dead_relu"),
                    facts.firstLoss(), facts.chanceLoss(), DeadUnitsOutlastTheJump.endLoss(panel.history())).ifPresent(x -> refuted.add(refute(x)));
        }
        return refuted;
    }

    /** Demotes the finding a refutation names (open or not); returns it as it now stands. */
    public Finding refute(Refutation r) {
        Finding f = everOpened.get(r.findingId());
        if (f == null) throw new IllegalArgumentException("no finding " + r.findingId() + " to refute");
        Finding demoted = r.applyTo(f);
        everOpened.put(f.id(), demoted);
        if (open.containsKey(f.id())) open.put(f.id(), demoted);
        return demoted;
    }

    /** The finding {@code id} as it stands now (open or not), if it ever opened. */
    public Optional<Finding> finding(String id) {
        return Optional.ofNullable(everOpened.get(id));
    }

    public Doctor addFindingListener(FindingListener listener) {
        listeners.add(listener);
        return this;
    }

    /**
     * Measures curvature during the run ({@link CurvatureMonitor}): each reading goes to the sinks given to
     * {@link #onCurvature} and, with the step readings, to the detectors (lr_too_high and adaptive_spike use it).
     */
    public Doctor watchCurvature(CurvatureMonitor monitor) {
        this.curvatureMonitor = monitor;
        return this;
    }

    /**
     * Classifies plateaus as they happen ({@link PlateauWatch}: saddle_point, local_minimum or ravine) on this fixed
     * probe batch (inputs and targets as the loss takes them).
     */
    public Doctor watchPlateaus(Tensor inputs, Tensor targets) {
        return watchPlateaus(inputs, targets, 0);
    }

    /** As above, in a run planned to take {@code plannedSteps} steps: a flat stretch need span at most half of it ({@link PlateauSpan}). */
    public Doctor watchPlateaus(Tensor inputs, Tensor targets, long plannedSteps) {
        this.plateaus = new PlateauWatch(PlateauClassifier.defaults(), PlateauSpan.forRun(PlateauWatch.Options.defaults(), plannedSteps), inputs, targets);
        return this;
    }

    /**
     * Traces a NaN or infinity to where it was made ({@link NonFiniteTracer}: a rolling snapshot, and a replay of the
     * failing step with per-op checks); the provenance goes to the sinks and into the evidence of the NaN's finding.
     */
    public Doctor traceNonFinite() {
        this.tracer = new NonFiniteTracer();
        return this;
    }

    /** As {@link #traceNonFinite()}, replaying from the run's shared rolling snapshots (the probes' and the repair's too). */
    public Doctor traceNonFinite(dev.ravine.doctor.snapshot.RollingSnapshots snapshots) {
        this.tracer = new NonFiniteTracer(snapshots);
        return this;
    }

    /** Hears the provenance of a NaN or infinity when a traced run finds it. */
    public Doctor onProvenance(Consumer<NonFiniteProvenance> sink) {
        provenanceSinks.add(sink);
        return this;
    }

    /** The provenance found (or recorded, for a stored run), if the run turned non-finite. */
    public Optional<NonFiniteProvenance> provenance() {
        return Optional.ofNullable(provenance);
    }

    /** The provenance a stored run recorded: its findings carry it as the live run's did (call before {@link #replay}). */
    public void recordProvenance(NonFiniteProvenance p) {
        this.provenance = p;
    }

    public Doctor onCurvature(Consumer<CurvatureReading> sink) {
        curvatureSinks.add(sink);
        return this;
    }

    public InstrumentPanel instruments() {
        return panel;
    }

    /** Every finding opened during the run, in the order they opened, with their latest evidence. */
    public List<Finding> findings() {
        return List.copyOf(everOpened.values());
    }

    public List<Finding> openFindings() {
        return List.copyOf(open.values());
    }

    private void onReading(StepReading reading) {
        if (Double.isNaN(facts.firstLoss()) && Double.isFinite(reading.loss())) facts = facts.withFirstLoss(reading.loss());
        if (!window.isEmpty() && reading.step() <= window.getLast().step()) restartAfterRollback();
        window.addLast(reading);
        while (!window.isEmpty() && window.getFirst().step() <= reading.step() - windowSteps) window.removeFirst();
        if (reading.full() || !Double.isFinite(reading.loss()) || !reading.layers().isEmpty()) examine();
        else examineEveryStep();
    }

    /** On a loss-only step: the rules cheap enough for every step (a tenfold growth per step warns before the NaN). */
    private void examineEveryStep() {
        List<StepReading> w = null;
        for (Detector d : detectors) {
            if (!d.examinesEveryStep()) continue;
            if (w == null) w = List.copyOf(window);
            report(d.id(), d.examine(w, List.of(), facts));
        }
    }

    /**
     * The step count went backwards: the run was rolled back (a repair, or a user). The readings and open findings
     * describe the abandoned trajectory, so they close, and the detectors start over on the resumed one.
     */
    private void restartAfterRollback() {
        window.clear();
        curvature.clear();
        for (Finding f : List.copyOf(open.values())) listeners.forEach(l -> l.closed(f));
        open.clear();
    }

    private void examine() {
        List<StepReading> w = List.copyOf(window);
        List<CurvatureReading> c = List.copyOf(curvature);
        for (Detector d : detectors) report(d.id(), d.examine(w, c, facts));
    }

    /** A curvature reading joins the window (it is examined with the next full reading) and goes to the sinks. */
    private void onCurvatureReading(CurvatureReading reading) {
        if (!curvature.isEmpty() && reading.step() <= curvature.getLast().step()) curvature.clear();
        curvature.addLast(reading);
        while (!curvature.isEmpty() && curvature.getFirst().step() <= reading.step() - windowSteps) curvature.removeFirst();
        for (Consumer<CurvatureReading> sink : curvatureSinks) sink.accept(reading);
    }

    private void examineEpochs() {
        List<EpochEvent> history = List.copyOf(epochs);
        for (EpochDetector d : epochDetectors) report(d.id(), d.examine(history, facts));
    }

    /** Opens (or updates) the finding {@code id} when present, closes it when absent. */
    private void report(String id, Optional<Finding> f) {
        if (f.isPresent()) {
            Finding finding = withProvenance(f.get());
            boolean isNew = !open.containsKey(id);
            Finding kept = isNew && everOpened.containsKey(id) ? finding : keepFirstStep(open.get(id), finding);
            Finding merged = probes.containsKey(id) ? ProbeEvidence.apply(kept, probes.get(id)) : kept;
            // a note that becomes a problem (dead units once the loss stops falling) is announced as if it opened now: the
            // listeners that act only on problems (repairs, probes) heard it as a note
            boolean escalated = !isNew && open.get(id).severity() == Severity.INFO && merged.severity() != Severity.INFO;
            open.put(id, merged);
            everOpened.put(id, merged);
            if (isNew || escalated) listeners.forEach(l -> l.opened(merged));
        } else if (open.containsKey(id)) {
            Finding closed = open.remove(id);
            listeners.forEach(l -> l.closed(closed));
        }
    }

    /** The NaN's own finding (exploding_gradients' non-finite one) carries the provenance as evidence. */
    private Finding withProvenance(Finding f) {
        if (provenance == null || !ExplodingGradientsDetector.isNonFinite(f) || f.lastStep() < provenance.failedStep()) return f;
        List<String> evidence = new ArrayList<>(f.evidence());
        for (String line : provenance.evidence()) if (!evidence.contains(line)) evidence.add(line);
        return new Finding(f.id(), f.title(), f.severity(), f.firstStep(), f.lastStep(), f.layers(), evidence, f.cause(), f.remedies());
    }

    private void traceNonFinite(Trainer trainer, long step, String trigger) {
        if (tracer == null) return;
        provenance = tracer.trace(trainer, step, trigger);
        for (Consumer<NonFiniteProvenance> sink : provenanceSinks) sink.accept(provenance);
    }

    private static Finding keepFirstStep(Finding previous, Finding current) {
        if (previous == null) return current;
        return new Finding(current.id(), current.title(), current.severity(), Math.min(previous.firstStep(), current.firstStep()),
                current.lastStep(), current.layers(), current.evidence(), current.cause(), current.remedies());
    }

    /**
     * Re-runs the detectors over a stored run: the readings in step order, each epoch's event after the readings of
     * its last step. What {@code ravine doctor RUN_DIR} uses; the findings are the same rules a live run applies.
     */
    public List<Finding> replay(List<StepReading> readings, List<EpochEvent> epochs) {
        return replay(readings, epochs, List.of());
    }

    /** {@link #replay(List, List)} with the run's curvature readings, each examined from the step after it, as live. */
    public List<Finding> replay(List<StepReading> readings, List<EpochEvent> epochs, List<CurvatureReading> curvatureReadings) {
        int e = 0, c = 0;
        for (StepReading r : readings) {
            while (e < epochs.size() && epochs.get(e).step() < r.step()) onEpochEnd(null, epochs.get(e++));
            while (c < curvatureReadings.size() && curvatureReadings.get(c).step() < r.step()) onCurvatureReading(curvatureReadings.get(c++));
            onReading(r);
        }
        while (e < epochs.size()) onEpochEnd(null, epochs.get(e++));
        return findings();
    }

    // ------------------------------------------------------------------ trainer events, forwarded to the instruments

    @Override
    public void onTrainingStart(Trainer trainer) {
        panel.onTrainingStart(trainer);
        if (plateaus != null) plateaus.onTrainingStart(trainer);
        if (tracer != null) tracer.start(trainer);
    }

    @Override
    public void onGradients(Trainer trainer, long step) {
        panel.onGradients(trainer, step);
    }

    @Override
    public void onBatchEnd(Trainer trainer, BatchEvent event) {
        panel.onBatchEnd(trainer, event);
        if (tracer != null) tracer.afterStep(trainer, event);
        try {
            // After the panel's reading: the probe's forward pass must not replace the outputs the panel reads.
            if (curvatureMonitor != null && curvatureMonitor.isDue(event.step()) && Double.isFinite(event.loss())) {
                onCurvatureReading(curvatureMonitor.read(trainer, event.step()));
            }
            if (plateaus != null) plateaus.onBatchEnd(trainer, event, facts).ifPresent(f -> report(f.id(), Optional.of(f)));
        } catch (StopRequest.Raised stopping) {
            // A stop was requested during an analysis: it is dropped, and the trainer stops at this step's end.
        }
    }

    @Override
    public void onNonFiniteLoss(Trainer trainer, long step, int epoch, double loss) {
        traceNonFinite(trainer, step, "loss " + loss);
        // No step was taken, so no instrument reading: record the loss so the detectors see the NaN.
        onReading(new StepReading(step, epoch, loss, false, Double.NaN, List.of(), List.of()));
    }

    @Override
    public void onNonFiniteGradients(Trainer trainer, long step, int epoch, double loss, double gradientNorm) {
        traceNonFinite(trainer, step, "gradient norm " + gradientNorm + " (step refused)");
        // The step was refused: the panel reads the gradients still in place so the detectors see where the NaN is.
        panel.refusedStepReading(trainer, step, epoch, loss);
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochEvent event) {
        panel.onEpochEnd(trainer, event);
        epochs.add(event);
        examineEpochs();
    }

    @Override
    public void onTrainingEnd(Trainer trainer, TrainingResult result) {
        panel.onTrainingEnd(trainer, result);
    }
}
