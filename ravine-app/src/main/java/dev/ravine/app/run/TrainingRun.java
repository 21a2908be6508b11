package dev.ravine.app.run;

import dev.ravine.app.ExitCode;
import dev.ravine.app.TextFormat;
import dev.ravine.app.Version;
import dev.ravine.app.build.BuiltModel;
import dev.ravine.app.build.ModelBuilder;
import dev.ravine.app.build.ModelDataCheck;
import dev.ravine.app.build.RunData;
import dev.ravine.app.cli.ReportCommand;
import dev.ravine.app.config.ConfigException;
import dev.ravine.app.config.LossConfig;
import dev.ravine.app.config.ConfigReader;
import dev.ravine.app.config.ConfigWriter;
import dev.ravine.app.config.RunConfig;
import dev.ravine.app.config.RunOptimizer;
import dev.ravine.app.config.ScheduleConfig;
import dev.ravine.app.config.EarlyStoppingConfig;
import dev.ravine.app.config.TrainingConfig;
import dev.ravine.app.report.RunReport;
import dev.ravine.app.store.NormalizerFile;
import dev.ravine.app.store.RunDirectory;
import dev.ravine.app.store.RunEvent;
import dev.ravine.app.store.RunStore;
import dev.ravine.app.store.Summary;
import dev.ravine.data.DataLoader;
import dev.ravine.doctor.Doctor;
import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.RunFacts;
import dev.ravine.doctor.repair.RepairPolicy;
import dev.ravine.io.AtomicFile;
import dev.ravine.io.IoProblem;
import dev.ravine.kernel.ComputePool;
import dev.ravine.nn.loss.Loss;
import dev.ravine.optim.Optimizer;
import dev.ravine.tensor.Rng;
import dev.ravine.io.CheckpointFile;
import dev.ravine.train.BestCheckpoint;
import dev.ravine.train.EarlyStopping;
import dev.ravine.train.Evaluation;
import dev.ravine.train.StepHook;
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
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code ravine train} (or {@code demo}) run, from config file to run folder: read and check the config, build
 * the model, load and normalize the data, check that they fit, then (only then, so a mistake leaves no half-made run
 * folder) create the folder, write the resolved config and the normalizer, train with checkpoints, metrics in SQLite
 * and a progress display, evaluate the final model on the test set, and write the summary.
 */
public final class TrainingRun {

    /**
     * @param out         the run folder, or null for {@code runs/<name>-<timestamp>} under {@code workingDir}
     * @param runName     the name of the default run folder, or null for the config's name
     * @param interactive whether {@code out} is a terminal (progress redrawn in place)
     */
    public record Request(Path config, List<String> overrides, Path out, String runName, Path workingDir, boolean interactive,
                          Path resume) {
        public Request(Path config, List<String> overrides, Path out, String runName, Path workingDir, boolean interactive) {
            this(config, overrides, out, runName, workingDir, interactive, null);
        }

        /** {@code ravine train --resume RUN_DIR}: continue the run in that folder from its newest intact checkpoint. */
        public static Request resume(Path runDir, Path workingDir, boolean interactive) {
            return new Request(null, List.of(), null, null, workingDir, interactive, runDir);
        }
    }

    private final Request request;
    private final PrintWriter out;
    /** The checkpoint a resumed run continues from; null for a new run. */
    private final Resumption resumption;

    private TrainingRun(Request request, PrintWriter out, Resumption resumption) {
        this.request = request;
        this.out = out;
        this.resumption = resumption;
    }

    /** How a run ended: the command's exit code and the run folder. */
    public record Outcome(int exitCode, RunDirectory run) {}

    /** Runs the request; bad input is thrown before any run folder is created (see {@link Main} for the exit codes). */
    public static Outcome execute(Request request, PrintWriter out) {
        if (request.resume() != null) {
            try (Resumption from = Resumption.open(request.resume())) {
                // The run's resolved config: the same model, data, seed and threads as the run it continues.
                RunConfig config = ConfigReader.read(from.run().config(), List.of(), request.workingDir());
                if (from.finished(config.training().epochs())) {
                    throw new ConfigException(request.resume() + " has trained all its " + config.training().epochs() + " epochs ("
                            + from.run().root().relativize(from.file()) + "); there is nothing to resume");
                }
                return execute(config, new TrainingRun(request, out, from));
            }
        }
        RunConfig config = ConfigReader.read(request.config(), request.overrides(), request.workingDir());
        return execute(config, new TrainingRun(request, out, null));
    }

    private static Outcome execute(RunConfig config, TrainingRun run) {
        Integer threads = config.training().threads();
        if (threads == null || threads == ComputePool.threads()) return run.train(config);
        // A pool of this size for this run only: the engine's shared pool is sized once per process.
        Outcome[] outcome = new Outcome[1];
        ComputePool.runWithThreads(threads, () -> outcome[0] = run.train(config));
        return outcome[0];
    }

    private Outcome train(RunConfig config) {
        Instant started = Instant.now();
        TrainingConfig t = config.training();
        Rng rng = new Rng(config.seed());
        // With model.input given, a model that cannot be built fails before the (slow) data loading.
        BuiltModel model = config.model().input() == null ? null : ModelBuilder.build(config.model().layers(), config.model().input(), rng);
        RunData data = RunData.load(config.data(), ModelDataCheck.isRegression(config.loss()), config.seed(), config.doctor().enabled());
        ModelDataCheck.requireInput(config, data.train());
        if (model == null) model = ModelBuilder.build(config.model().layers(), data.train().sampleShape(), rng);
        ModelDataCheck.requireFits(config, model, data.train(), data.numClasses());
        Pretraining.requireBlocks(config, model);

        if (config.data().balanced() && !data.train().isClassification()) {
            throw new ConfigException("data.sampler: balanced draws samples by class, but the training data has regression targets; "
                    + "use sampler: random (" + config.data().origin().describe() + ")");
        }
        DataLoader trainLoader = new DataLoader(data.train(), t.batchSize(), config.data().shuffle(), t.dropLast(), config.seed(),
                config.data().balanced());
        requireBatches(trainLoader, t, model);
        DataLoader validationLoader = data.validation() == null ? null
                : new DataLoader(data.validation(), t.batchSize(), false, false, config.seed());
        int threads = ComputePool.threads();
        LossConfig lossConfig = config.lossOptions().resolved(data.train());
        RunConfig resolved = config.withModel(config.model().with(model.inputShape(), model.resolvedLayers()))
                .withTraining(t.withThreads(threads)).withLoss(lossConfig);
        Loss loss = config.toolbox().loss(lossConfig.create(), model.network().namedParameters());
        ScheduleConfig.Scheduled scheduled = RunOptimizer.build(config, model.network().namedParameters(), trainLoader.batchesPerEpoch());
        Optimizer optimizer = scheduled.optimizer();
        EarlyStopping earlyStopping = t.earlyStopping() == null ? null : t.earlyStopping().create();
        List<StepHook> stepHooks = StepHooks.of(config, data);

        RunDirectory run = resumption != null ? resumption.run() : RunDirectory.create(request.out(), request.workingDir(),
                request.runName() != null ? request.runName() : config.name(), LocalDateTime.now());
        String runShown = run.display(request.workingDir());
        if (resumption == null) {
            try {
                AtomicFile.writeString(run.config(), ConfigWriter.write(resolved, configHeader(config)));
                NormalizerFile.write(run.normalizer(), data.normalizer());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write to the run folder " + run.root() + ": " + IoProblem.describe(e), e);
            }
            out.println("ravine " + Version.get() + ": training " + displayConfig() + " into " + runShown);
        } else {
            resumption.notes().forEach(note -> out.println("resume: " + note));
            out.println("ravine " + Version.get() + ": resuming " + runShown + " from " + run.root().relativize(resumption.file())
                    + " (step " + resumption.checkpoint().step() + ", epoch " + (resumption.checkpoint().epoch() + 1) + ")");
        }
        RunHeader.print(out, config, model, optimizer, data, trainLoader.batchesPerEpoch(), threads);

        TrainingOptions options = new TrainingOptions(t.epochs(), run.checkpoints(), t.checkpointEvery(), t.keepCheckpoints());
        Trainer trainer = new Trainer(model.network(), loss, optimizer, rng, options);
        stepHooks.forEach(trainer::addStepHook);
        if (resumption != null) trainer.resume(resumption.checkpoint()); // weights, optimizer, Rng and data position
        ProgressBar progress = new ProgressBar(out, request.interactive(), t.epochs());
        try (StopOnInterrupt stop = new StopOnInterrupt(); RunStore store = RunStore.create(run.database())) {
            store.putMeta(startMeta(config, data, model, threads, started));
            if (resumption == null) {
                store.putEvent(null, RunEvent.RUN_STARTED, "running", null);
                Pretraining.run(config, model, data, store, out);
            } else {
                store.forgetAfter(resumption.checkpoint().step());
                store.putMeta(Map.of("resumed_from_step", Long.toString(resumption.checkpoint().step())));
                store.putEvent(resumption.checkpoint().step(), RunEvent.RUN_STARTED, "resumed from "
                        + run.root().relativize(resumption.file()), null);
            }
            if (scheduled.listener() != null) trainer.addListener(scheduled.listener());
            if (earlyStopping != null) trainer.addListener(earlyStopping);
            BestCheckpoint best = bestCheckpoint(t, run);
            if (resumption != null) best.replay(resumption.epochsBefore(run));
            trainer.addListener(best);
            Doctor doctor = newDoctor(config, model, optimizer, data.numClasses(), progress);
            doctor.addFindingListener(store); // each finding is in run.db from the moment it opens
            doctor.instruments().onReading(store::putReading);
            CurvatureProbe.attach(doctor, config.doctor(), data.train(), config.seed(), store);
            RepairPolicy repair = config.doctor().enabled() && config.doctor().repair() ? newRepair(config, doctor, progress) : null;
            RepairRecorder repairRecorder = new RepairRecorder(store);
            trainer.addListener(store);
            if (config.doctor().enabled()) {
                doctor.examineData(data.train(), trainLoader); // data_nan, data_scale, data_imbalance, data_unshuffled before step 1
                NonFiniteTrainingData.stopIfPresent(data, doctor, store);
                trainer.addListener(doctor);
                if (repair != null) trainer.addListener(repairRecorder).addListener(repair.onAction(repairRecorder));
            }
            trainer.addListener(progress).addListener(stop);
            TrainingResult result;
            try {
                result = trainer.fit(trainLoader, validationLoader);
            } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
                progress.clear();
                recordFailure(run, store, config, trainer, model, threads, started, e);
                throw e;
            }
            if (config.doctor().enabled() && result.status() == TrainingStatus.COMPLETED && !stop.interrupted()) {
                TrainingLossCheck.run(config, model, data.train(), result, doctor); // model_bias or optimization_issue
            }
            if (stop.interrupted() && result.status() == TrainingStatus.COMPLETED) result = stoppedAfterTraining(result);
            if (result.status() == TrainingStatus.DIVERGED) setAsideDivergedCheckpoint(run, result.steps());
            Evaluation test = null;
            boolean finished = result.status() == TrainingStatus.COMPLETED || earlyStopping != null && earlyStopping.stoppedEarly();
            if (finished && best.written()) CheckpointFile.read(best.file()).restoreModel(model.network()); // what eval uses
            if (finished && data.test() != null) {
                test = trainer.evaluate(new DataLoader(data.test(), t.batchSize(), false, false, config.seed()));
            }
            Path checkpoint = Trainer.latestCheckpoint(run.checkpoints());
            if (finished && loss.isClassification()) {
                Path weights = best.written() ? best.file() : checkpoint;
                HeldOutConfusion.record(store, data, t.batchSize(), model.network(), weights == null ? "the final weights" : run.root().relativize(weights).toString());
            }
            Summary summary = Summary.of(config.file().toString(), result, test, model.parameterCount(), config.seed(), threads,
                    checkpoint == null ? null : run.root().relativize(checkpoint).toString(), started, doctor.findings());
            if (earlyStopping != null) summary = summary.withBestEpoch(earlyStopping.bestEpoch());
            if (best.written()) {
                summary = summary.withBest(new Summary.BestWeights(run.root().relativize(best.file()).toString(), best.metric(),
                        best.bestValue(), best.bestEpoch(), best.bestStep()));
            }
            if (repair != null) summary = summary.withRepairs(repair.actions());
            store.putFindings(doctor.findings());
            writeSummary(run, summary);
            store.putMeta(endMeta(summary));
            store.putEvent(result.steps(), RunEvent.RUN_ENDED, summary.status(), summary.reason());
            store.flush(); // everything committed before the report reads run.db through its own connection
            printOutcome(result, test, runShown, checkpoint != null);
            writeReport(run);
            int code = result.status() == TrainingStatus.DIVERGED ? ExitCode.DIVERGED
                    : stop.interrupted() ? ExitCode.INTERRUPTED : ExitCode.OK;
            return new Outcome(code, run);
        }
    }

    /**
     * best.ckpt by validation loss, or by early stopping's monitor when it restores the best weights, so that the
     * file holds the weights the run ends with.
     */
    private static BestCheckpoint bestCheckpoint(TrainingConfig t, RunDirectory run) {
        EarlyStoppingConfig stopping = t.earlyStopping();
        if (stopping == null || !stopping.restoreBest()) return BestCheckpoint.byValidationLoss(run.checkpoints());
        return new BestCheckpoint(run.checkpoints(), stopping.monitor(),
                stopping.mode().equals("max") ? EarlyStopping.Mode.MAX : EarlyStopping.Mode.MIN, stopping.minDelta());
    }

    /**
     * The training doctor, on for every run: its instruments read the run, its detectors name problems, and each
     * finding that opens prints one line (with the top remedy) above the progress bar.
     */
    private Doctor newDoctor(RunConfig config, BuiltModel model, Optimizer optimizer, int numClasses, ProgressBar progress) {
        List<String> kinds = config.model().layers().stream().map(l -> l.kind().id()).toList();
        RunFacts facts = new RunFacts(config.optimizer().lr(), config.optimizer().name(), optimizer.transform(), numClasses, kinds);
        Doctor doctor = new Doctor(config.doctor().instrumentOptions(), Doctor.standardDetectors(), facts, 200);
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

    /** With doctor.repair: rolls a run back and lowers its learning rate when a blocking problem would end it. */
    private RepairPolicy newRepair(RunConfig config, Doctor doctor, ProgressBar progress) {
        RepairPolicy repair = new RepairPolicy(config.doctor().repairOptions());
        doctor.addFindingListener(repair);
        repair.onAction(a -> {
            progress.clear();
            out.println("doctor: repaired " + a.findingId() + " at step " + a.step() + ": back to step " + a.rolledBackTo() + ", "
                    + a.remedy() + " (lr scale " + TextFormat.scale(a.lrScaleBefore()) + " -> " + TextFormat.scale(a.lrScaleAfter()) + ")");
            out.flush();
        });
        return repair;
    }

    /** An epoch with no batch, or a last batch of one sample under batchnorm1d, fails only at training time: check now. */
    private static void requireBatches(DataLoader loader, TrainingConfig t, BuiltModel model) {
        int n = loader.dataset().size();
        if (loader.batchesPerEpoch() == 0) {
            throw new ConfigException("training.batch_size: " + t.batchSize() + " with drop_last: true leaves no batch from the "
                    + n + " training samples; lower batch_size or set drop_last: false (" + t.origin().describe() + ")");
        }
        boolean vectorBatchNorm = model.summary().stream()
                .anyMatch(r -> r.kind().equals("batchnorm1d") && r.outputShape().length == 1);
        if (vectorBatchNorm && !t.dropLast() && n % t.batchSize() == 1) {
            throw new ConfigException("training.batch_size: " + t.batchSize() + " leaves a last batch of 1 sample (of " + n
                    + " training samples), which batchnorm cannot normalize in training (as in PyTorch); set training.drop_last: "
                    + "true or change batch_size (" + t.origin().describe() + ")");
        }
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

    private String displayConfig() {
        return TextFormat.path(request.config(), request.workingDir());
    }

    private List<String> configHeader(RunConfig config) {
        List<String> h = new ArrayList<>();
        h.add("Resolved by ravine " + Version.get() + " from " + config.file()
                + (request.overrides().isEmpty() ? "" : " with --set " + String.join(" --set ", request.overrides())) + ".");
        h.add("Every default is filled in and data paths are absolute; 'ravine eval' rebuilds the model from this file.");
        return h;
    }

    private static Map<String, String> startMeta(RunConfig config, RunData data, BuiltModel model, int threads, Instant started) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("ravine_version", Version.get());
        m.put("java_version", Runtime.version().toString());
        m.put("config_file", config.file().toString());
        m.put("config_name", config.name());
        m.put("seed", Long.toString(config.seed()));
        m.put("threads", Integer.toString(threads));
        m.put("parameters", Long.toString(model.parameterCount()));
        m.put("train_samples", Integer.toString(data.train().size()));
        m.put("validation_samples", Integer.toString(data.validation() == null ? 0 : data.validation().size()));
        m.put("test_samples", Integer.toString(data.test() == null ? 0 : data.test().size()));
        m.put("classes", Integer.toString(data.numClasses()));
        m.put("started_at", started.toString());
        m.put("status", "running");
        return m;
    }

    private static Map<String, String> endMeta(Summary s) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("status", s.status());
        m.put("reason", s.reason());
        m.put("finished_at", s.finishedAt().toString());
        m.put("wall_seconds", Double.toString(s.wallSeconds()));
        if (s.test() != null) {
            m.put("test_loss", Double.toString(s.test().loss()));
            m.put("test_accuracy", Double.toString(s.test().accuracy()));
        }
        return m;
    }

    /**
     * The run's report.html. The run itself is done and recorded by now, so a report that cannot be written is said
     * on the terminal and leaves the exit code alone ({@code ravine report RUN_DIR} can write it again).
     */
    private void writeReport(RunDirectory run) {
        try {
            out.println("report: " + ReportCommand.describe(RunReport.write(run.root(), run.report()), request.workingDir()));
            out.flush();
        } catch (RuntimeException e) {
            out.println("report.html not written: " + e.getMessage() + " (try again with: ravine report " + run.display(request.workingDir()) + ")");
        }
    }

    private static void writeSummary(RunDirectory run, Summary summary) {
        try {
            summary.write(run.summary());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + run.summary() + ": " + e.getMessage(), e);
        }
    }

    /** A stop requested after the last step, during the end-of-run analyses: the run is stopped, not completed. */
    private static TrainingResult stoppedAfterTraining(TrainingResult r) {
        return new TrainingResult(TrainingStatus.STOPPED, StopRequest.reason() + " during the end-of-run analyses, after "
                + r.reason(), r.epochs(), r.steps(), r.trainLoss(), r.valLoss(), r.valAccuracy(), r.samplesPerSecond(),
                r.wallSeconds(), r.history());
    }

    /** An error during training still leaves a summary (status failed) and the meta status, then propagates. */
    private static void recordFailure(RunDirectory run, RunStore store, RunConfig config, Trainer trainer, BuiltModel model,
                                      int threads, Instant started, Throwable error) {
        Path checkpoint = Trainer.latestCheckpoint(run.checkpoints());
        Summary s = new Summary("failed", error.getClass().getSimpleName() + ": " + error.getMessage(), config.file().toString(),
                trainer.epoch(), trainer.optimizer().stepCount(), Double.NaN, Double.NaN, Double.NaN, Double.NaN, null, Double.NaN,
                (Instant.now().toEpochMilli() - started.toEpochMilli()) / 1000.0, model.parameterCount(), config.seed(), threads,
                checkpoint == null ? null : run.root().relativize(checkpoint).toString(), started, Instant.now(), List.of());
        try {
            s.write(run.summary());
            store.putMeta(Map.of("status", "failed", "reason", s.reason()));
            store.putEvent(s.steps(), RunEvent.RUN_ENDED, "failed", s.reason());
        } catch (IOException | RuntimeException suppressed) {
            error.addSuppressed(suppressed);
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
}
