package dev.ravine.app.run;

import dev.ravine.app.build.RunAssembly;
import dev.ravine.app.config.ConfigException;
import dev.ravine.app.config.ConfigReader;
import dev.ravine.app.config.RunConfig;
import dev.ravine.app.store.RunDirectory;
import dev.ravine.io.CheckpointFolder;
import dev.ravine.kernel.ComputePool;
import dev.ravine.train.DataParallel;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * One replica of a synchronous data-parallel {@code ravine train}: rank 0 ({@link #lead}) is the ordinary run, with
 * the run folder, run.db, the doctor (reading the global batch's loss and gradients), checkpoints and report; every
 * other rank ({@link #follow}) builds the same run from the same config and seed and trains in step with it, writing
 * nothing. The replicas stay identical because every one applies the same all-reduced gradient to the same weights.
 */
public final class ReplicaRun {
    private ReplicaRun() {}

    /** Refuses, before any worker starts, what would make the replicas part ways. */
    public static void check(RunConfig config, int workers) {
        if (workers < 1) throw new ConfigException("--workers " + workers + ": give at least 1");
        if (config.training().batchSize() < workers) {
            throw new ConfigException("training.batch_size " + config.training().batchSize() + " is smaller than --workers " + workers
                    + ": every worker needs rows of each batch; raise the batch size or use fewer workers (" + config.file() + ")");
        }
        if (config.doctor().enabled() && config.doctor().repair()) {
            throw new ConfigException("doctor.repair: a repair rolls back and re-initializes rank 0 alone, and the replicas would part "
                    + "ways; set doctor.repair: false for a data-parallel run (" + config.file() + ")");
        }
        if (config.pretrain() != null) {
            throw new ConfigException("pretrain: RBM pre-training runs on one process; pre-train with a plain 'ravine train' and "
                    + "train data-parallel from there, or drop the pretrain key (" + config.file() + ")");
        }
    }

    /**
     * Refuses, before any worker starts, a resume with nothing to resume (no intact checkpoint, or a run that already
     * completed), with the same words as a one-process {@code ravine train --resume}.
     */
    public static void checkResume(Path folder) {
        try (Resumption from = Resumption.open(folder)) {
            TrainingRun.refuseIfEnded(from, folder);
        }
    }

    /** Rank 0: the whole run, in its folder, as {@code ravine train} does it. */
    public static TrainingRun.Outcome lead(TrainingRun.Request request, PrintWriter out, DataParallel replicas) {
        return TrainingRun.execute(request, out, replicas);
    }

    /**
     * Any other rank: the same model, data order, optimizer, schedule, step hooks and early stopping (which see the
     * same global figures and so decide alike), resumed from the checkpoint rank 0 resumes from; no folder, store,
     * doctor or checkpoints of its own.
     */
    public static void follow(TrainingRun.Request request, DataParallel replicas) {
        RunConfig config = request.resume() != null
                ? ConfigReader.read(RunDirectory.of(request.resume()).config(), List.of(), request.workingDir())
                : ConfigReader.read(request.config(), request.overrides(), request.workingDir());
        Integer threads = config.training().threads();
        if (threads == null || threads == ComputePool.threads()) {
            train(request, config, replicas);
        } else {
            ComputePool.runWithThreads(threads, () -> train(request, config, replicas));
        }
    }

    private static void train(TrainingRun.Request request, RunConfig config, DataParallel replicas) {
        RunAssembly a = RunAssembly.of(config);
        Trainer trainer = new Trainer(a.model().network(), a.loss(), a.optimizer(), a.rng(),
                new TrainingOptions(config.training().epochs(), null, 0, 1));
        a.stepHooks().forEach(trainer::addStepHook);
        if (a.scheduleListener() != null) trainer.addListener(a.scheduleListener());
        if (a.earlyStopping() != null) trainer.addListener(a.earlyStopping());
        if (request.resume() != null) {
            // The newest intact checkpoint, as rank 0's Resumption picks it (read only: rank 0 holds the folder's lock).
            var newest = CheckpointFolder.newestIntact(RunDirectory.of(request.resume()).checkpoints());
            if (newest.checkpoint() == null) throw new ConfigException("cannot resume " + request.resume() + ": no intact checkpoint");
            trainer.resume(newest.checkpoint());
        }
        trainer.dataParallel(replicas);
        trainer.fit(a.trainLoader(), a.validationLoader());
    }
}
