package dev.ravine.app.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The tables of a run's {@code run.db}, the one place they are defined ({@link RunStore} writes them, {@link RunRecords}
 * reads them):
 * <pre>
 * meta(key, value)                                         the run's facts: config, seed, status, ...
 * steps(step, epoch, batch, loss, accuracy, lr_scale)      one row per optimizer step; epoch and batch count from 1
 * epochs(epoch, step, train_loss, train_accuracy, val_loss, val_accuracy, seconds, samples_per_second)
 * findings(id, severity, first_step, last_step, layers, title, cause, evidence, remedies)
 *                                                          one row per finding id, written when it opens and closes
 *                                                          and as the doctor left it at the end (then in ranked order,
 *                                                          root cause first: rowid order is Findings.ranked); layers comma-separated,
 *                                                          evidence one per line, remedies one per line as "change | why | patch; patch"
 * repairs(seq, step, finding, remedy, rolled_back_to, lr_scale_before, lr_scale_after, loss_before)
 *                                                          one row per doctor repair, written when it is applied
 * probes(seq, step, finding, change, remedy, patches, start, from_step, steps, control_start_loss, control_loss,
 *        control_diverged, probe_start_loss, probe_loss, probe_diverged, effect, speedup, verdict, seconds)
 *                                                          one row per counterfactual probe of a finding, written when it
 *                                                          is done: the change (a remedy's patches), where both arms started
 *                                                          (snapshot | run_start, from_step), the evaluation loss of the
 *                                                          unchanged control and of the probe before and after, the effect
 *                                                          ln(control_loss / probe_loss) (NULL when an arm diverged),
 *                                                          the verdict (confirmed, inconclusive, refuted, skipped)
 * nan_provenance(failed_step, trigger, replayed_from, origin_step, phase, op, layer, parameter, detail, growth_start, growth)
 *                                                          where a NaN/Inf was made, found by replaying the failing step with
 *                                                          per-op checks: phase forward, backward, update or input (data),
 *                                                          layer as the config names it; origin_step 0 when not reproduced
 * events(seq, at, step, kind, subject, detail)             what happened when: run_started, finding_opened,
 *                                                          finding_closed, repair, run_ended (subject: a finding id or a status)
 * layer_readings(step, layer, grad_norm, weight_norm, update_norm, update_ratio, non_finite)
 * activation_readings(step, module, kind, mean, std, dead_fraction, saturated_fraction, non_finite, grad_norm, gsc)
 *                                                          the doctor's full readings, every doctor.every steps
 * curvature_readings(step, sharpness, threshold, preconditioned_sharpness, preconditioned_threshold, hvps)
 *                                                          the doctor's curvature monitor (doctor.curvature_every)
 * adaptive_readings(step, step_median, step_p99, step_max, v_median, v_min, sampled)
 *                                                          Adam runs: the effective steps lr/(sqrt(v_hat)+eps) and v_hat
 * meta confusion_matrix                                    classification runs: the held-out confusion matrix as JSON
 *                                                          {data, checkpoint, counts[true][predicted]}
 * pretrain(layer, epoch, reconstruction_error, train_free_energy, held_out_free_energy, seconds)
 *                                                          with {@code pretrain}: one row per RBM epoch (made on first use)
 * </pre>
 * NaN (no validation set, no accuracy for regression, a non-finite loss) is stored as NULL. The database is in WAL mode
 * so that a reader (a report, a dashboard, {@code ravine doctor}) can read a run while its trainer writes it. Runs written
 * before a table existed simply lack it: readers treat a missing table as empty.
 */
final class RunSchema {
    private RunSchema() {}

    private static final String TABLES = """
            CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
            CREATE TABLE IF NOT EXISTS findings(id TEXT PRIMARY KEY, severity TEXT NOT NULL, first_step INTEGER NOT NULL,
                last_step INTEGER NOT NULL, layers TEXT NOT NULL, title TEXT NOT NULL, cause TEXT NOT NULL, evidence TEXT NOT NULL,
                remedies TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS repairs(seq INTEGER PRIMARY KEY, step INTEGER NOT NULL, finding TEXT NOT NULL,
                remedy TEXT NOT NULL, rolled_back_to INTEGER NOT NULL, lr_scale_before REAL, lr_scale_after REAL, loss_before REAL);
            CREATE TABLE IF NOT EXISTS probes(seq INTEGER PRIMARY KEY, step INTEGER NOT NULL, finding TEXT NOT NULL,
                change TEXT NOT NULL, remedy TEXT NOT NULL, patches TEXT NOT NULL, start TEXT NOT NULL, from_step INTEGER NOT NULL,
                steps INTEGER, control_start_loss REAL, control_loss REAL, control_diverged INTEGER, probe_start_loss REAL,
                probe_loss REAL, probe_diverged INTEGER, effect REAL, speedup REAL, verdict TEXT NOT NULL, seconds REAL);
            CREATE TABLE IF NOT EXISTS nan_provenance(failed_step INTEGER PRIMARY KEY, trigger TEXT NOT NULL, replayed_from INTEGER NOT NULL,
                origin_step INTEGER NOT NULL, phase TEXT NOT NULL, op TEXT NOT NULL, layer TEXT NOT NULL, parameter TEXT NOT NULL,
                detail TEXT NOT NULL, growth_start INTEGER NOT NULL, growth TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS events(seq INTEGER PRIMARY KEY, at TEXT NOT NULL, step INTEGER, kind TEXT NOT NULL,
                subject TEXT, detail TEXT);
            CREATE TABLE IF NOT EXISTS steps(step INTEGER PRIMARY KEY, epoch INTEGER NOT NULL, batch INTEGER NOT NULL,
                loss REAL, accuracy REAL, lr_scale REAL);
            CREATE TABLE IF NOT EXISTS layer_readings(step INTEGER NOT NULL, layer TEXT NOT NULL, grad_norm REAL, weight_norm REAL,
                update_norm REAL, update_ratio REAL, non_finite INTEGER NOT NULL, PRIMARY KEY(step, layer));
            CREATE TABLE IF NOT EXISTS activation_readings(step INTEGER NOT NULL, module TEXT NOT NULL, kind TEXT NOT NULL, mean REAL,
                std REAL, dead_fraction REAL, saturated_fraction REAL, non_finite INTEGER NOT NULL, grad_norm REAL, gsc REAL,
                PRIMARY KEY(step, module));
            CREATE TABLE IF NOT EXISTS curvature_readings(step INTEGER PRIMARY KEY, sharpness REAL, threshold REAL,
                preconditioned_sharpness REAL, preconditioned_threshold REAL, hvps INTEGER);
            CREATE TABLE IF NOT EXISTS adaptive_readings(step INTEGER PRIMARY KEY, step_median REAL, step_p99 REAL, step_max REAL,
                v_median REAL, v_min REAL, sampled INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS epochs(epoch INTEGER PRIMARY KEY, step INTEGER NOT NULL, train_loss REAL, train_accuracy REAL,
                val_loss REAL, val_accuracy REAL, seconds REAL, samples_per_second REAL);
            """;

    /** The meta key of a classification run's held-out confusion matrix ({@link ConfusionRecord} as JSON). */
    static final String CONFUSION_META = "confusion_matrix";

    /** Only on first use, so a run without pre-training has no empty table. */
    static final String PRETRAIN_TABLE = "CREATE TABLE IF NOT EXISTS pretrain(layer TEXT NOT NULL, epoch INTEGER NOT NULL, "
            + "reconstruction_error REAL, train_free_energy REAL, held_out_free_energy REAL, seconds REAL, PRIMARY KEY(layer, epoch))";

    /** How long a connection waits for another's write lock before it gives up (a checkpoint can take a moment). */
    private static final int BUSY_TIMEOUT_MS = 10_000;

    static Connection connect(Path file) throws SQLException {
        Connection db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement s = db.createStatement()) {
            s.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MS);
        }
        return db;
    }

    /**
     * Makes every table and switches the file to WAL: readers then see each committed transaction while the writer
     * goes on, and never block it. synchronous=NORMAL is WAL's usual setting: a commit no longer waits for the disk
     * (a power cut can lose the last commits, never corrupt the file), so rows can be committed as they happen.
     */
    static void create(Connection db) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("PRAGMA journal_mode = WAL");
            s.execute("PRAGMA synchronous = NORMAL");
            for (String sql : TABLES.split(";")) if (!sql.isBlank()) s.execute(sql);
        }
    }

    static boolean hasTable(Connection db, String name) throws SQLException {
        try (PreparedStatement s = db.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }
}
