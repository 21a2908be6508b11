package dev.ravine.app.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.repair.RepairAction;
import dev.ravine.io.AtomicFile;
import dev.ravine.train.EpochEvent;
import dev.ravine.train.Evaluation;
import dev.ravine.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a run, written to {@code summary.json} (atomically) when it ends. Metrics that do not exist (no
 * validation or test set, accuracy of a regression, anything after a divergence) are JSON null.
 *
 * @param status      completed | diverged | stopped, or failed when an error ended the run
 * @param test        the final model on the test set, or null when there is none or the run did not complete
 * @param checkpoint  the newest checkpoint file, relative to the run folder, or null
 * @param bestEpoch   with early stopping, the epoch with the best monitored metric (best_epoch), else null
 * @param best        checkpoints/best.ckpt and what made it the best (best_checkpoint), or null when none was written;
 *                    the test figures are of these weights when there are, else of the final ones (test_checkpoint)
 */
public record Summary(String status, String reason, String config, int epochs, long steps, double trainLoss, double trainAccuracy,
                      double valLoss, double valAccuracy, Evaluation test, double samplesPerSecond, double wallSeconds,
                      long parameters, long seed, int threads, String checkpoint, Instant startedAt, Instant finishedAt,
                      List<Finding> findings, Integer bestEpoch, List<RepairAction> repairs, BestWeights best, ProbeTime probes) {

    /**
     * The doctor's experiments: how many counterfactual probes ran, the seconds they took together, their share of the
     * run's wall time and the share they were allowed, and the seconds of the end-of-run reference networks (bounded on
     * their own, not by the probes' share), and the steps the probes' arms trained against the steps their budget allowed
     * (the budget is counted in steps: {@link dev.ravine.doctor.probe.ProbeBudget}); written as
     * {@code doctor: {probes, probe_seconds, probe_share, probe_budget_share, reference_seconds, reference_share, probe_steps,
     * probe_budget_steps}}.
     */
    public record ProbeTime(int probes, double seconds, double share, double budgetShare, double referenceSeconds, double referenceShare,
            long steps, long budgetSteps) {}

    /** As the canonical form, without probe figures (a run whose doctor ran none). */
    public Summary(String status, String reason, String config, int epochs, long steps, double trainLoss, double trainAccuracy,
                   double valLoss, double valAccuracy, Evaluation test, double samplesPerSecond, double wallSeconds,
                   long parameters, long seed, int threads, String checkpoint, Instant startedAt, Instant finishedAt,
                   List<Finding> findings, Integer bestEpoch, List<RepairAction> repairs, BestWeights best) {
        this(status, reason, config, epochs, steps, trainLoss, trainAccuracy, valLoss, valAccuracy, test, samplesPerSecond, wallSeconds,
                parameters, seed, threads, checkpoint, startedAt, finishedAt, findings, bestEpoch, repairs, best, null);
    }

    /** With the doctor's probe time. */
    public Summary withProbes(ProbeTime time) {
        return new Summary(status, reason, config, epochs, steps, trainLoss, trainAccuracy, valLoss, valAccuracy, test, samplesPerSecond,
                wallSeconds, parameters, seed, threads, checkpoint, startedAt, finishedAt, findings, bestEpoch, repairs, best, time);
    }

    /** best.ckpt: its file relative to the run folder, the metric it is best by, its value, epoch and step. */
    public record BestWeights(String file, String metric, double value, int epoch, long step) {}

    public Summary {
        if (repairs == null) repairs = List.of();
    }

    public Summary(String status, String reason, String config, int epochs, long steps, double trainLoss, double trainAccuracy,
                   double valLoss, double valAccuracy, Evaluation test, double samplesPerSecond, double wallSeconds,
                   long parameters, long seed, int threads, String checkpoint, Instant startedAt, Instant finishedAt,
                   List<Finding> findings, Integer bestEpoch, List<RepairAction> repairs) {
        this(status, reason, config, epochs, steps, trainLoss, trainAccuracy, valLoss, valAccuracy, test, samplesPerSecond, wallSeconds,
                parameters, seed, threads, checkpoint, startedAt, finishedAt, findings, bestEpoch, repairs, null);
    }

    public Summary(String status, String reason, String config, int epochs, long steps, double trainLoss, double trainAccuracy,
                   double valLoss, double valAccuracy, Evaluation test, double samplesPerSecond, double wallSeconds,
                   long parameters, long seed, int threads, String checkpoint, Instant startedAt, Instant finishedAt,
                   List<Finding> findings, Integer bestEpoch) {
        this(status, reason, config, epochs, steps, trainLoss, trainAccuracy, valLoss, valAccuracy, test, samplesPerSecond, wallSeconds,
                parameters, seed, threads, checkpoint, startedAt, finishedAt, findings, bestEpoch, List.of());
    }

    /** With the doctor's repairs, written as repairs: [{step, finding, remedy, rolled_back_to, lr_scale}]. */
    public Summary withRepairs(List<RepairAction> actions) {
        return new Summary(status, reason, config, epochs, steps, trainLoss, trainAccuracy, valLoss, valAccuracy, test, samplesPerSecond,
                wallSeconds, parameters, seed, threads, checkpoint, startedAt, finishedAt, findings, bestEpoch, actions, best, probes);
    }

    /** With best.ckpt's facts, written as best_checkpoint; the test figures are then of its weights. */
    public Summary withBest(BestWeights weights) {
        return new Summary(status, reason, config, epochs, steps, trainLoss, trainAccuracy, valLoss, valAccuracy, test, samplesPerSecond,
                wallSeconds, parameters, seed, threads, checkpoint, startedAt, finishedAt, findings, bestEpoch, repairs, weights, probes);
    }

    public Summary(String status, String reason, String config, int epochs, long steps, double trainLoss, double trainAccuracy,
                   double valLoss, double valAccuracy, Evaluation test, double samplesPerSecond, double wallSeconds,
                   long parameters, long seed, int threads, String checkpoint, Instant startedAt, Instant finishedAt,
                   List<Finding> findings) {
        this(status, reason, config, epochs, steps, trainLoss, trainAccuracy, valLoss, valAccuracy, test, samplesPerSecond, wallSeconds,
                parameters, seed, threads, checkpoint, startedAt, finishedAt, findings, null);
    }

    /** With the early-stopping best epoch (1-based), written as best_epoch. */
    public Summary withBestEpoch(int epoch) {
        return new Summary(status, reason, config, epochs, steps, trainLoss, trainAccuracy, valLoss, valAccuracy, test, samplesPerSecond,
                wallSeconds, parameters, seed, threads, checkpoint, startedAt, finishedAt, findings, epoch, repairs, best, probes);
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static Summary of(String config, TrainingResult r, Evaluation test, long parameters, long seed, int threads,
                             String checkpoint, Instant startedAt, List<Finding> findings) {
        List<EpochEvent> h = r.history();
        double trainAccuracy = h.isEmpty() ? Double.NaN : h.getLast().trainAccuracy();
        return new Summary(r.status().configName(), r.reason(), config, r.epochs(), r.steps(), r.trainLoss(), trainAccuracy,
                r.valLoss(), r.valAccuracy(), test, r.samplesPerSecond(), r.wallSeconds(), parameters, seed, threads, checkpoint,
                startedAt, Instant.now(), findings);
    }

    /** A run that an error ended during training: no metrics, the step and epoch it reached, the newest checkpoint. */
    public static Summary failed(String reason, String config, int epochs, long steps, long parameters, long seed, int threads,
                                 String checkpoint, Instant startedAt) {
        Instant now = Instant.now();
        return new Summary("failed", reason, config, epochs, steps, Double.NaN, Double.NaN, Double.NaN, Double.NaN, null, Double.NaN,
                (now.toEpochMilli() - startedAt.toEpochMilli()) / 1000.0, parameters, seed, threads, checkpoint, startedAt, now, List.of());
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        m.put("reason", reason);
        m.put("config", config);
        m.put("epochs", epochs);
        m.put("steps", steps);
        m.put("train_loss", finite(trainLoss));
        m.put("train_accuracy", finite(trainAccuracy));
        m.put("val_loss", finite(valLoss));
        m.put("val_accuracy", finite(valAccuracy));
        m.put("test_loss", test == null ? null : finite(test.loss()));
        m.put("test_accuracy", test == null ? null : finite(test.accuracy()));
        m.put("test_samples", test == null ? null : test.samples());
        if (test != null) m.put("test_checkpoint", best != null ? best.file() : checkpoint);
        m.put("samples_per_second", finite(samplesPerSecond));
        m.put("wall_seconds", finite(wallSeconds));
        m.put("parameters", parameters);
        m.put("seed", seed);
        m.put("threads", threads);
        m.put("checkpoint", checkpoint);
        m.put("started_at", startedAt == null ? null : startedAt.toString());
        m.put("finished_at", finishedAt == null ? null : finishedAt.toString());
        if (bestEpoch != null) m.put("best_epoch", bestEpoch);
        if (best != null) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("file", best.file());
            b.put("metric", best.metric());
            b.put("value", finite(best.value()));
            b.put("epoch", best.epoch());
            b.put("step", best.step());
            m.put("best_checkpoint", b);
        }
        // Ranked root cause first, as run.db's reader, `ravine doctor` and report.html show them: one order everywhere.
        m.put("findings", findings == null ? List.of() : dev.ravine.doctor.finding.Findings.ranked(findings).stream().map(Summary::findingJson).toList());
        if (!repairs.isEmpty()) m.put("repairs", repairs.stream().map(Summary::repairJson).toList());
        if (probes != null) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("probes", probes.probes());
            d.put("probe_seconds", finite(probes.seconds()));
            d.put("probe_share", finite(probes.share()));
            d.put("probe_budget_share", finite(probes.budgetShare()));
            d.put("reference_seconds", finite(probes.referenceSeconds()));
            d.put("reference_share", finite(probes.referenceShare()));
            d.put("probe_steps", probes.steps());
            d.put("probe_budget_steps", probes.budgetSteps());
            m.put("doctor", d);
        }
        return m;
    }

    private static Map<String, Object> repairJson(RepairAction a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", a.step());
        m.put("finding", a.findingId());
        m.put("remedy", a.remedy());
        m.put("rolled_back_to", a.rolledBackTo());
        m.put("rollback_depth", a.step() - a.rolledBackTo()); // steps undone
        m.put("lr_scale", a.lrScaleAfter());
        // how the repair was judged (RepairPolicy.judgeSteps): the mean batch loss before it and at the end of its window
        m.put("loss_before", finite(a.lossBefore()));
        m.put("loss_after", finite(a.lossAfter()));
        m.put("verdict", a.verdict().id());
        if (!a.note().isEmpty()) m.put("note", a.note());
        return m;
    }

    /** The doctor's finding as summary.json lists it; evidence and remedies in full are in run.db. */
    private static Map<String, Object> findingJson(Finding f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", f.id());
        m.put("severity", f.severity().name().toLowerCase());
        m.put("step", f.firstStep());
        m.put("last_step", f.lastStep());
        m.put("layers", f.layers());
        m.put("title", f.title());
        m.put("remedy", f.remedies().isEmpty() ? null : f.remedies().getFirst().change());
        return m;
    }

    public void write(Path file) throws IOException {
        AtomicFile.writeString(file, JSON.writeValueAsString(toJson()) + "\n");
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
