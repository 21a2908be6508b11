package dev.ravine.app.run;

import dev.ravine.app.ExitCode;
import dev.ravine.app.TextFormat;
import dev.ravine.app.Version;
import dev.ravine.app.build.RunAssembly;
import dev.ravine.app.config.ConfigReader;
import dev.ravine.app.config.ConfigWriter;
import dev.ravine.app.config.EarlyStoppingConfig;
import dev.ravine.app.config.RunConfig;
import dev.ravine.app.report.RunReport;
import dev.ravine.app.store.NormalizerFile;
import dev.ravine.app.store.RunDirectory;
import dev.ravine.app.store.RunEvent;
import dev.ravine.app.store.RunStore;
import dev.ravine.app.store.Summary;
import dev.ravine.doctor.Doctor;
import dev.ravine.doctor.detect.RunRecord;
import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.RunFacts;
import dev.ravine.doctor.probe.ProbeBudget;
import dev.ravine.doctor.probe.ProbeOutcome;
import dev.ravine.doctor.repair.RepairAction;
import dev.ravine.doctor.repair.RepairPolicy;
import dev.ravine.doctor.repair.Restart;
import dev.ravine.doctor.snapshot.RollingSnapshots;
import dev.ravine.io.AtomicFile;
import dev.ravine.io.CheckpointFile;
import dev.ravine.io.IoProblem;
import dev.ravine.train.BestCheckpoint;
import dev.ravine.train.DataParallel;
import dev.ravine.train.EpochEvent;
import dev.ravine.train.Evaluation;
import dev.ravine.train.StopRequest;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingOptions;
import dev.ravine.train.TrainingResult;
import dev.ravine.train.TrainingStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One training run of an assembled config, from a new run folder to its recorded outcome: write the resolved config and
 * the normalizer, print the header, train with checkpoints, the store, the doctor (and its repairs) and a progress
 * display, run the end-of-run checks, evaluate on the test set, then record the outcome: summary.json, run.db's final
 * findings, meta and events, the terminal's last lines and report.html.
 */
final class TrainingSession {
    private final TrainingRun.Request request;
    private final PrintWriter out;
    private final RunAssembly a;
    private final RunConfig config;
    /** The checkpoint a resumed run continues from; null for a new run. */
    private final Resumption resumption;
    private final Instant started;
    /** Rank 0's part in a data-parallel run, or null. */
    private final DataParallel replicas;

    /** A run restarted by the doctor's repair: its folder and the repairs of the attempts before (the restart last). */
    private record Restarted(RunDirectory run, Restart restart, List<RepairAction> repairs, int probes, long probeSteps, double probeSeconds) {}

    /** Set when this session is a restart of the run in that folder; null otherwise. */
    private Restarted restarted;

    /** A reader following the run (ravine dashboard) sees its steps at most this long after they happen. */
    private static final Duration LIVE_ROWS = Duration.ofMillis(500);

    TrainingSession(TrainingRun.Request request, PrintWriter out, RunAssembly assembly, Resumption resumption, Instant started,
                    DataParallel replicas) {
        this.replicas = replicas;
        this.request = request;
        this.out = out;
        this.a = assembly;
        this.config = assembly.config();
        this.resumption = resumption;
        this.started = started;
    }

    /** The run's parts as the trainer and the doctor see them while it goes. */
    private record Watch(Trainer trainer, RunStore store, Doctor doctor, RepairPolicy repair, ProbeSession probes, BestCheckpoint best,
                         ProgressBar progress, RollingSnapshots snapshots) {}

    TrainingRun.Outcome run() {
        RunDirectory run = restarted != null ? restarted.run() : resumption != null ? resumption.run() : createFolder();
        String runShown = run.display(request.workingDir());
        if (restarted != null) {
            out.println("ravine " + Version.get() + ": restarting " + runShown + " from step 0 with " + String.join(", ", restarted.restart().sets()));
        } else if (resumption == null) {
            out.println("ravine " + Version.get() + ": training " + TextFormat.path(request.config(), request.workingDir()) + " into " + runShown);
        } else {
            resumption.notes().forEach(note -> out.println("resume: " + note));
            out.println("ravine " + Version.get() + ": resuming " + runShown + " from " + run.root().relativize(resumption.file())
                    + " (step " + resumption.checkpoint().step() + ", epoch " + (resumption.checkpoint().epoch() + 1) + ")");
        }
        RunHeader.print(out, config, a.model(), a.optimizer(), a.data(), a.trainLoader().batchesPerEpoch(), a.threads());
        Trainer trainer = newTrainer(run);
        ProgressBar progress = new ProgressBar(out, request.interactive(), config.training().epochs());
        Restarted next;
        try (StopOnInterrupt stop = new StopOnInterrupt(); RunStore store = RunStore.create(run.database()).flushEvery(LIVE_ROWS)) {
            store.putMeta(RunMeta.atStart(config, a.data(), a.model(), a.threads(), started));
            if (resumption == null) {
                if (restarted != null) store.forgetAfter(0); // the earlier attempt's steps; its findings are rewritten at the end
                store.putEvent(restarted == null ? null : 0L, RunEvent.RUN_STARTED, restarted == null ? "running" : "restarted",
                        restarted == null ? null : restarted.restart().action().remedy());
                Pretraining.run(config, a.model(), a.data(), store, out);
            } else {
                store.forgetAfter(resumption.checkpoint().step());
                store.putMeta(Map.of("resumed_from_step", Long.toString(resumption.checkpoint().step())));
                store.putEvent(resumption.checkpoint().step(), RunEvent.RUN_STARTED, "resumed from "
                        + run.root().relativize(resumption.file()), null);
            }
            if (request.started() != null) request.started().accept(run); // run.db holds the run's facts: a reader can follow it
            Watch watch = watch(trainer, store, progress, run);
            trainer.addListener(progress).addListener(stop);
            TrainingResult result = resumption == null ? fit(watch, run)
                    : withEpochsBefore(nothingLeftToTrain() ? trainedBefore(run) : fit(watch, run), resumption.epochsBefore(run));
            Restart restart = watch.repair() == null || stop.interrupted() ? null : watch.repair().restart().orElse(null);
            if (restart == null) return finish(watch, run, result, stop);
            ProbeSession p = watch.probes();
            next = new Restarted(run, restart, watch.repair().actions(), p == null ? 0 : p.probesRun(), p == null ? 0 : p.budget().spentSteps(),
                    p == null ? 0 : p.budget().spentSeconds());
        }
        return restartWith(next);
    }

    /**
     * The doctor's repair stopped the run to start it again with a config change the trainer cannot make: the patched
     * config is built (read as {@code ravine doctor --fix} would write it), becomes the run folder's config.yaml (with
     * its normalizer: 'ravine eval' rebuilds the run that trained), the earlier attempt's checkpoints go, and the run
     * trains from step 0 in the same folder, its clock still the first attempt's.
     */
    private TrainingRun.Outcome restartWith(Restarted next) {
        RunDirectory run = next.run();
        RunConfig patched = ConfigReader.read(run.config(), next.restart().sets(), request.workingDir());
        RunAssembly assembly = RunAssembly.of(patched);
        try {
            try (var old = Files.list(run.checkpoints())) {
                for (Path f : old.toList()) if (Files.isRegularFile(f)) Files.delete(f);
            }
            List<String> header = new ArrayList<>(configHeader());
            header.add("Restarted from step " + next.restart().action().step() + " to step 0 by the doctor's repair ("
                    + next.restart().action().findingId() + ") with --set " + String.join(" --set ", next.restart().sets()) + ".");
            AtomicFile.writeString(run.config(), ConfigWriter.write(assembly.resolved(), header));
            NormalizerFile.write(run.normalizer(), assembly.data().normalizer());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restart the run in " + run.root() + ": " + IoProblem.describe(e), e);
        }
        TrainingSession session = new TrainingSession(request, out, assembly, null, started, replicas);
        session.restarted = next;
        return session.run();
    }

    /**
     * A resumed run whose checkpoint is after its last epoch, or after the epoch where early stopping ended it, was
     * killed before its end-of-run work: it trains no step, and the end of the run (test set, summary, report) follows.
     */
    private boolean nothingLeftToTrain() {
        return resumption.trainedAllEpochs(config.training().epochs()) || a.earlyStopping() != null && a.earlyStopping().stoppedEarly();
    }

    /** The result of the training done before the checkpoint, for a resumed run with nothing left to train. */
    private TrainingResult trainedBefore(RunDirectory run) {
        List<EpochEvent> before = resumption.epochsBefore(run);
        boolean stoppedEarly = a.earlyStopping() != null && a.earlyStopping().stoppedEarly();
        int epochs = config.training().epochs();
        String reason = stoppedEarly ? a.earlyStopping().reason() : Trainer.completedReason(epochs);
        out.println("resume: " + (stoppedEarly ? reason : reason + " before the checkpoint") + "; no step left to train, so only the"
                + " end of the run (test set, summary.json, report) is done now");
        EpochEvent last = before.isEmpty() ? null : before.getLast();
        return new TrainingResult(stoppedEarly ? TrainingStatus.STOPPED : TrainingStatus.COMPLETED, reason, 0,
                resumption.checkpoint().step(), last == null ? Double.NaN : last.trainLoss(), last == null ? Double.NaN : last.valLoss(),
                last == null ? Double.NaN : last.valAccuracy(), last == null ? Double.NaN : last.samplesPerSecond(), 0, List.of());
    }

    /**
     * A resumed run's result counts the epochs trained before its checkpoint too, so summary.json and the end-of-run
     * checks see the whole run; the speed and wall time stay this session's.
     */
    private static TrainingResult withEpochsBefore(TrainingResult r, List<EpochEvent> before) {
        if (before.isEmpty()) return r;
        List<EpochEvent> history = new ArrayList<>(before);
        history.addAll(r.history());
        EpochEvent last = history.getLast();
        boolean none = r.history().isEmpty(); // stopped again before an epoch ended: the figures are the last epoch's
        return new TrainingResult(r.status(), r.reason(), history.size(), r.steps(), none ? last.trainLoss() : r.trainLoss(),
                none ? last.valLoss() : r.valLoss(), none ? last.valAccuracy() : r.valAccuracy(),
                Double.isNaN(r.samplesPerSecond()) ? last.samplesPerSecond() : r.samplesPerSecond(), r.wallSeconds(), List.copyOf(history));
    }

    /** The run folder with the resolved config and the normalizer: 'ravine eval' rebuilds the run from them. */
    private RunDirectory createFolder() {
        RunDirectory run = RunDirectory.create(request.out(), request.workingDir(),
                request.runName() != null ? request.runName() : config.name(), LocalDateTime.now());
        try {
            AtomicFile.writeString(run.config(), ConfigWriter.write(a.resolved(), configHeader()));
            NormalizerFile.write(run.normalizer(), a.data().normalizer());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the run folder " + run.root() + ": " + IoProblem.describe(e), e);
        }
        return run;
    }

    private List<String> configHeader() {
        List<String> h = new ArrayList<>();
        h.add("Resolved by ravine " + Version.get() + " from " + config.file()
                + (request.overrides().isEmpty() ? "" : " with --set " + String.join(" --set ", request.overrides())) + ".");
        h.add("Every default is filled in and data paths are absolute; 'ravine eval' rebuilds the model from this file.");
        return h;
    }

    private Trainer newTrainer(RunDirectory run) {
        var t = config.training();
        TrainingOptions options = new TrainingOptions(t.epochs(), run.checkpoints(), t.checkpointEvery(), t.keepCheckpoints());
        Trainer trainer = new Trainer(a.model().network(), a.loss(), a.optimizer(), a.rng(), options);
        a.stepHooks().forEach(trainer::addStepHook);
        if (resumption != null) trainer.resume(resumption.checkpoint()); // weights, optimizer, Rng and data position
        if (replicas != null) trainer.dataParallel(replicas);
        return trainer;
    }

    /**
     * The trainer's listeners in the order they must hear each step: the schedule and early stopping, the store, then
     * the doctor (which reads the step the store has recorded), the repair's loss recorder before the repair policy.
     */
    private Watch watch(Trainer trainer, RunStore store, ProgressBar progress, RunDirectory run) {
        if (a.scheduleListener() != null) trainer.addListener(a.scheduleListener());
        if (a.earlyStopping() != null) trainer.addListener(a.earlyStopping());
        BestCheckpoint best = bestCheckpoint(run);
        if (resumption != null) {
            best.replay(resumption.epochsBefore(run));
            if (a.earlyStopping() != null) a.earlyStopping().replay(resumption.epochsBefore(run)); // patience counts on
        }
        trainer.addListener(best);
        Doctor doctor = newDoctor(progress);
        doctor.addFindingListener(store); // each finding is in run.db from the moment it opens
        doctor.instruments().onReading(store::putReading);
        CurvatureProbe.attach(doctor, config.doctor(), a.data().train(), config.seed(), store, plannedSteps());
        // one set of rolling snapshots for everything that goes back in time: the NaN tracer, the probes, the repair
        RollingSnapshots snapshots = RollingSnapshots.defaults();
        ProbeSession probes = config.doctor().enabled() && config.doctor().probes() ? newProbes(doctor, store, run, progress, snapshots) : null;
        RepairPolicy repair = config.doctor().enabled() && config.doctor().repair() ? newRepair(doctor, progress, snapshots) : null;
        if (probes != null && repair != null) {
            repair.waitFor(probes::awaiting);
            probes.onProbed(repair::probed).repairing(true);
        }
        RepairRecorder repairRecorder = new RepairRecorder(store);
        trainer.addListener(store);
        if (config.doctor().enabled()) {
            // a NaN/Inf is traced to the op, layer and parameter that made it, by replaying its step with per-op checks
            doctor.traceNonFinite(snapshots).onProvenance(store::putProvenance).onProvenance(p -> {
                progress.clear();
                out.println("doctor: NaN traced: " + p.line());
                out.flush();
            });
            // data_nan, data_scale (not for an embedding's token ids), data_imbalance, data_unshuffled before step 1
            doctor.examineData(a.data().train(), a.trainLoader(), config.model().readsTokenIds());
            NonFiniteTrainingData.stopIfPresent(a.data(), doctor, store);
            trainer.addListener(doctor);
            if (probes != null) trainer.addListener(probes); // after the doctor opens a finding, before the repair acts on it
            if (repair != null) trainer.addListener(repairRecorder).addListener(repair.onAction(repairRecorder));
        }
        return new Watch(trainer, store, doctor, repair, probes, best, progress, snapshots);
    }

    /**
     * best.ckpt by validation loss, or by early stopping's monitor when it restores the best weights, so that the
     * file holds the weights the run ends with.
     */
    private BestCheckpoint bestCheckpoint(RunDirectory run) {
        EarlyStoppingConfig stopping = config.training().earlyStopping();
        if (stopping == null || !stopping.restoreBest()) return BestCheckpoint.byValidationLoss(run.checkpoints());
        return new BestCheckpoint(run.checkpoints(), stopping.monitor(), RunAssembly.mode(stopping), stopping.minDelta());
    }

    /**
     * The training doctor, on for every run: its instruments read the run, its detectors name problems, and each
     * finding that opens prints one line (with the top remedy) above the progress bar.
     */
    private Doctor newDoctor(ProgressBar progress) {
        List<String> kinds = config.model().layers().stream().map(l -> l.kind().id()).toList();
        RunFacts facts = new RunFacts(config.optimizer().lr(), config.optimizer().name(), a.optimizer().transform(), a.data().numClasses(), kinds)
                .withLayerYaml(config.model().layers().stream().map(ConfigWriter::flow).toList());
        Doctor doctor = new Doctor(config.doctor().instrumentOptions(), Doctor.standardDetectors(), facts, 200);
        // before any listener: the findings the run had already opened are not announced (or repaired) again
        if (resumption != null) resumption.replayInto(doctor);
        doctor.addFindingListener(new Doctor.FindingListener() {
            @Override
            public void opened(Finding f) {
                progress.clear();
                String remedy = f.remedies().isEmpty() ? "" : "; try " + f.remedies().getFirst().change();
                out.println("doctor: " + f.title() + " (" + f.id() + ") from step " + f.firstStep()
                        + (f.layers().isEmpty() ? "" : ", layer " + String.join(", ", f.layers())) + remedy);
                out.flush();
            }

            @Override
            public void closed(Finding f) {
                progress.clear();
                out.println("doctor: " + f.id() + " no longer seen after step " + f.lastStep());
                out.flush();
            }
        });
        return doctor;
    }

    /** The steps this session is to train: the config's epochs of the training loader, less those a resumed run already took. */
    private long plannedSteps() {
        return (long) config.training().epochs() * a.trainLoader().batchesPerEpoch() - (resumption == null ? 0 : resumption.checkpoint().step());
    }

    /**
     * With doctor.probes: each finding's cause tested by forks of the run (ProbeSession), each probe printed as one
     * line; the forks read the run's resolved config with a remedy's patches, as {@code ravine doctor --fix} does.
     */
    private ProbeSession newProbes(Doctor doctor, RunStore store, RunDirectory run, ProgressBar progress, RollingSnapshots snapshots) {
        long planned = plannedSteps();
        ProbeSession probes = new ProbeSession(a, sets -> ConfigReader.read(run.config(), sets, request.workingDir()), doctor, store,
                new ProbeBudget(config.doctor().probeShare()), planned, snapshots);
        doctor.addFindingListener(probes);
        if (restarted != null) probes.after(restarted.probes(), restarted.probeSteps(), restarted.probeSeconds());
        probes.onProbed((f, outcomes) -> {
            progress.clear();
            for (ProbeOutcome o : outcomes) out.println("doctor: " + f.id() + ": " + o.describe());
            out.flush();
        });
        return probes;
    }

    /** With doctor.repair: rolls a run back and lowers its learning rate when a blocking problem would end it. */
    private RepairPolicy newRepair(Doctor doctor, ProgressBar progress, RollingSnapshots snapshots) {
        RepairPolicy repair = new RepairPolicy(config.doctor().repairOptions(), snapshots);
        if (restarted != null) repair.after(restarted.repairs());
        if (replicas != null) repair.withoutRestarts(); // the replicas train the config they were given
        doctor.addFindingListener(repair);
        repair.onAction(r -> {
            progress.clear();
            out.println("doctor: repaired " + r.findingId() + " at step " + r.step() + ": back to step " + r.rolledBackTo() + ", "
                    + r.remedy() + " (lr scale " + TextFormat.scale(r.lrScaleBefore()) + " -> " + TextFormat.scale(r.lrScaleAfter()) + ")");
            out.flush();
        });
        return repair;
    }

    /** Trains; an error during training still leaves a summary (status failed) and the store's status, then propagates. */
    private TrainingResult fit(Watch w, RunDirectory run) {
        try {
            return w.trainer().fit(a.trainLoader(), a.validationLoader());
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            w.progress().clear();
            recordFailure(run, w, e);
            throw e;
        }
    }

    private void recordFailure(RunDirectory run, Watch w, Throwable error) {
        Summary s = Summary.failed(error.getClass().getSimpleName() + ": " + error.getMessage(), config.file().toString(),
                w.trainer().epoch(), w.trainer().optimizer().stepCount(), a.model().parameterCount(), config.seed(), a.threads(),
                checkpoint(run), started);
        try {
            s.write(run.summary());
            w.store().putMeta(Map.of("status", "failed", "reason", s.reason()));
            w.store().putEvent(s.steps(), RunEvent.RUN_ENDED, "failed", s.reason());
        } catch (IOException | RuntimeException suppressed) {
            error.addSuppressed(suppressed);
        }
    }

    /** The end-of-run checks and the test set, then the outcome in summary.json, run.db, the terminal and report.html. */
    private TrainingRun.Outcome finish(Watch w, RunDirectory run, TrainingResult result, StopOnInterrupt stop) {
        double referenceSeconds = 0;
        if (config.doctor().enabled() && result.status() == TrainingStatus.COMPLETED && !stop.interrupted()) {
            // model_bias or optimization_issue: the reference nets are trained like the run, so each costs about the run's own
            // steps; they keep their own bound (TrainingLossCheck) instead of the probes' share, which they would not fit
            TrainingLossCheck.Outcome references = TrainingLossCheck.run(config, a.model(), a.data().train(), result, w.doctor());
            referenceSeconds = references.seconds();
            RunRecord outcome = FinishedRun.record(config, a.data().train(), a.model().network(), result, references.widerLoss());
            LabelNoiseCheck.run(a.data().train(), w.doctor(), LabelNoiseCheck.heldOut(result, a.data().validation()), outcome); // label_noise
            if (w.probes() != null) w.probes().finish(result.steps()); // the end-of-run findings' probes
            w.doctor().finish(outcome); // findings whose harm the run's outcome contradicts are demoted to notes
        }
        if (stop.interrupted() && result.status() == TrainingStatus.COMPLETED) result = stoppedAfterTraining(result);
        if (result.status() == TrainingStatus.DIVERGED) setAsideDivergedCheckpoint(run, result.steps());
        Evaluation test = null;
        boolean finished = result.status() == TrainingStatus.COMPLETED || a.earlyStopping() != null && a.earlyStopping().stoppedEarly();
        BestCheckpoint best = w.best();
        if (finished && best.written()) CheckpointFile.read(best.file()).restoreModel(a.model().network()); // what eval uses
        if (finished && a.data().test() != null) test = w.trainer().evaluate(a.testLoader());
        Path latest = Trainer.latestCheckpoint(run.checkpoints());
        String checkpoint = latest == null ? null : run.root().relativize(latest).toString();
        if (finished && a.loss().isClassification()) {
            Path weights = best.written() ? best.file() : latest;
            HeldOutConfusion.record(w.store(), a.data(), config.training().batchSize(), a.model().network(),
                    weights == null ? "the final weights" : run.root().relativize(weights).toString());
        }
        Summary summary = summarize(w, run, result, test, checkpoint, referenceSeconds);
        w.store().putFindings(w.doctor().findings());
        if (config.doctor().enabled()) w.store().putMeta(snapshotMeta(w.snapshots()));
        writeSummary(run, summary);
        w.store().putMeta(RunMeta.atEnd(summary));
        w.store().putEvent(result.steps(), RunEvent.RUN_ENDED, summary.status(), summary.reason());
        w.store().flush(); // everything committed before the report reads run.db through its own connection
        printOutcome(result, test, run.display(request.workingDir()), checkpoint != null);
        if (stop.interrupted()) {
            // A stop must end within 2 s; the report of a long run takes about one. It can be written at leisure.
            out.println("report: not written, to stop quickly (write it with: ravine report " + run.display(request.workingDir()) + ")");
        } else {
            writeReport(run);
        }
        int code = result.status() == TrainingStatus.DIVERGED ? ExitCode.DIVERGED : stop.interrupted() ? ExitCode.INTERRUPTED : ExitCode.OK;
        return new TrainingRun.Outcome(code, run);
    }

    /** A stop requested after the last step, during the end-of-run analyses: the run is stopped, not completed. */
    private static TrainingResult stoppedAfterTraining(TrainingResult r) {
        return new TrainingResult(TrainingStatus.STOPPED, StopRequest.reason() + " during the end-of-run analyses, after "
                + r.reason(), r.epochs(), r.steps(), r.trainLoss(), r.valLoss(), r.valAccuracy(), r.samplesPerSecond(),
                r.wallSeconds(), r.history());
    }

    /** summary.json's content: the result, the test figures, and the best epoch, best weights and repairs where there are. */
    private Summary summarize(Watch w, RunDirectory run, TrainingResult result, Evaluation test, String checkpoint, double referenceSeconds) {
        Summary summary = Summary.of(config.file().toString(), result, test, a.model().parameterCount(), config.seed(), a.threads(),
                checkpoint, started, w.doctor().findings());
        if (a.earlyStopping() != null) summary = summary.withBestEpoch(a.earlyStopping().bestEpoch());
        BestCheckpoint best = w.best();
        if (best.written()) {
            summary = summary.withBest(new Summary.BestWeights(run.root().relativize(best.file()).toString(), best.metric(),
                    best.bestValue(), best.bestEpoch(), best.bestStep()));
        }
        if (w.repair() != null) summary = summary.withRepairs(w.repair().actions());
        if (w.probes() != null) {
            double runSeconds = Math.max(Duration.between(started, Instant.now()).toNanos() * 1e-9, 1e-9);
            double spent = w.probes().budget().spentSeconds();
            summary = summary.withProbes(new Summary.ProbeTime(w.probes().probesRun(), spent, spent / runSeconds,
                    w.probes().budget().share(), referenceSeconds, referenceSeconds / runSeconds, w.probes().budget().spentSteps(),
                    w.probes().budget().allowedSteps()));
        }
        return summary;
    }

    /** What the shared rolling snapshots cost: how many were taken, their seconds, the most bytes held at once. */
    private static Map<String, String> snapshotMeta(RollingSnapshots s) {
        return Map.of("snapshots_taken", Integer.toString(s.taken()), "snapshot_seconds", Double.toString(s.seconds()),
                "snapshot_peak_bytes", Long.toString(s.peakBytes()));
    }

    /** The newest checkpoint, relative to the run folder, or null when none was written. */
    private static String checkpoint(RunDirectory run) {
        Path checkpoint = Trainer.latestCheckpoint(run.checkpoints());
        return checkpoint == null ? null : run.root().relativize(checkpoint).toString();
    }

    /**
     * The loss of step k+1 is computed from the weights after step k, so when it is NaN/Inf the checkpoint of step k
     * (written if k was a checkpoint step or an epoch's end) holds exactly the weights that diverged. It is renamed
     * {@code diverged-step-N.ckpt}: kept for diagnosis, but no longer the newest checkpoint that eval picks, which is
     * then the last one whose next loss was finite.
     */
    private void setAsideDivergedCheckpoint(RunDirectory run, long lastStep) {
        String name = String.format("step-%09d.ckpt", lastStep);
        Path file = run.checkpoints().resolve(name);
        if (!Files.isRegularFile(file)) return;
        try {
            Files.move(file, run.checkpoints().resolve("diverged-" + name));
            out.println("checkpoints/" + name + " holds the weights that gave the non-finite loss: renamed diverged-" + name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rename " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeSummary(RunDirectory run, Summary summary) {
        try {
            summary.write(run.summary());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + run.summary() + ": " + e.getMessage(), e);
        }
    }

    private void printOutcome(TrainingResult r, Evaluation test, String runShown, boolean hasCheckpoint) {
        if (test != null) {
            out.println("test: loss " + TextFormat.loss(test.loss()) + "  accuracy " + TextFormat.percent(test.accuracy())
                    + " (" + TextFormat.count(test.samples()) + " samples)");
        }
        String status = r.status().configName();
        String line = switch (r.status()) {
            case COMPLETED -> status + ": " + r.reason() + " in " + TextFormat.duration(r.wallSeconds());
            case DIVERGED -> status + ": " + r.reason() + (hasCheckpoint ? "" : " (none was written before it)")
                    + "; lower the learning rate (exit code " + ExitCode.DIVERGED + ")";
            case STOPPED -> status + ": " + r.reason();
        };
        out.println(line + "; run directory: " + runShown);
        out.flush();
    }

    /**
     * The run's report.html. The run itself is done and recorded by now, so a report that cannot be written is said
     * on the terminal and leaves the exit code alone ({@code ravine report RUN_DIR} can write it again).
     */
    private void writeReport(RunDirectory run) {
        try {
            out.println("report: " + RunReport.write(run.root(), run.report()).describe(request.workingDir()));
            out.flush();
        } catch (RuntimeException e) {
            out.println("report.html not written: " + e.getMessage() + " (try again with: ravine report " + run.display(request.workingDir()) + ")");
        }
    }
}
