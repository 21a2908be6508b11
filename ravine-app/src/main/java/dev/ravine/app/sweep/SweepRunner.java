package dev.ravine.app.sweep;

import dev.ravine.app.compare.FlatConfig;
import dev.ravine.doctor.finding.Finding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a sweep's trials, at most {@code parallel} at a time, each with {@code threads} compute threads, so that
 * parallel x threads never exceeds the cores. While a trial trains its run.db is polled for a blocking finding
 * ({@link DoctorEarlyStop}); one found stops the trial (SIGTERM: the trainer writes its summary and ends).
 */
public final class SweepRunner {
    /** How often a running trial's run.db is read for a blocking finding. */
    static final long POLL_MILLIS = 200;
    /** How long a stopped trial gets to write its summary before it is killed. */
    static final long STOP_GRACE_SECONDS = 20;

    private final Path config;
    private final List<String> sets;
    private final int parallel;
    private final int threads;
    private final Path logs;
    private final Path workingDir;
    private final Consumer<TrialOutcome> onDone;

    SweepRunner(Path config, List<String> sets, int parallel, int threads, Path logs, Path workingDir, Consumer<TrialOutcome> onDone) {
        this.workingDir = workingDir;
        this.config = config;
        this.sets = sets;
        this.parallel = parallel;
        this.threads = threads;
        this.logs = logs;
        this.onDone = onDone;
    }

    List<TrialOutcome> run(List<Trial> trials) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<TrialOutcome>> futures = new ArrayList<>();
            for (Trial t : trials) futures.add(pool.submit(() -> runOne(t)));
            List<TrialOutcome> out = new ArrayList<>();
            for (Future<TrialOutcome> f : futures) {
                try {
                    out.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) throw r;
                    throw new IllegalStateException(e.getCause());
                }
            }
            out.sort(Comparator.comparingInt(o -> o.trial().index()));
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private TrialOutcome runOne(Trial trial) throws InterruptedException {
        TrialOutcome outcome = runTrial(config, sets, threads, logs, workingDir, trial);
        onDone.accept(outcome);
        return outcome;
    }

    /**
     * Trains one trial in a child JVM with {@code threads} compute threads, its output in {@code logs}, stopping it
     * early when its doctor stores a blocking finding; on this machine or on a cluster's worker alike.
     */
    public static TrialOutcome runTrial(Path config, List<String> sets, int threads, Path logs, Path workingDir, Trial trial)
            throws InterruptedException {
        long start = System.nanoTime();
        Process p;
        try {
            p = TrialProcess.start(config, trial, threads, sets, workingDir, logs.resolve(trial.folder().getFileName() + ".log"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start trial " + trial.folder().getFileName() + ": " + e.getMessage(), e);
        }
        Finding stoppedBy = null;
        try {
            Boolean repairs = null;
            while (!p.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                if (repairs == null) repairs = doctorRepairs(trial.folder());
                if (Boolean.TRUE.equals(repairs)) continue;
                Optional<Finding> blocking = DoctorEarlyStop.blocking(trial.folder());
                if (blocking.isPresent()) {
                    stoppedBy = blocking.get();
                    p.destroy();
                    if (!p.waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
                    break;
                }
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            throw e;
        }
        return TrialOutcome.read(trial, stoppedBy, (System.nanoTime() - start) / 1e9, p.exitValue());
    }

    /** Whether the trial's resolved config lets the doctor repair; null until the trainer has written config.yaml. */
    private static Boolean doctorRepairs(Path runFolder) {
        Path file = runFolder.resolve("config.yaml");
        if (!Files.isRegularFile(file)) return null;
        try {
            return Boolean.parseBoolean(FlatConfig.of(Files.readString(file)).getOrDefault("doctor.repair", "false"));
        } catch (IOException e) {
            return null;
        }
    }
}
