package dev.ravine.app.sweep;

import dev.ravine.app.store.RunRecords;
import dev.ravine.app.store.RunStoreException;
import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The sweep's doctor-driven early stop, next to a loss-only rule such as ASHA's: a trial whose doctor has stored a
 * blocking finding (exploding gradients, a learning rate past its stability limit, ...) will not become a good
 * trial, so its remaining steps are better spent on the others. Read from the trial's run.db while the trainer
 * writes it (WAL). A trial whose config lets the doctor repair is left to its repairs: the trainer ends it itself
 * when they run out.
 */
final class DoctorEarlyStop {
    private DoctorEarlyStop() {}

    /** The root-cause blocking finding stored so far in {@code runFolder}, if any. */
    static Optional<Finding> blocking(Path runFolder) {
        Path db = runFolder.resolve("run.db");
        if (!Files.isRegularFile(db)) return Optional.empty();
        try (RunRecords records = RunRecords.open(db)) {
            return records.findings().stream().filter(f -> f.severity() == Severity.BLOCKING).findFirst();
        } catch (RunStoreException e) {
            // the trainer is still creating the tables: read again at the next poll
            return Optional.empty();
        }
    }
}
