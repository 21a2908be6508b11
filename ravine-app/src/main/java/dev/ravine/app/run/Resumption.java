package dev.ravine.app.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.app.config.ConfigException;
import dev.ravine.app.store.RunDirectory;
import dev.ravine.app.store.RunRecords;
import dev.ravine.doctor.Doctor;
import dev.ravine.io.Checkpoint;
import dev.ravine.io.CheckpointException;
import dev.ravine.io.CheckpointFolder;
import dev.ravine.io.IoProblem;
import dev.ravine.train.EpochEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * What {@code ravine train --resume RUN_DIR} continues from: the run folder, locked for this process so that two
 * resumes cannot write into it at once, and its newest checkpoint that reads back intact (lengths and checksum
 * verified); newer damaged ones are passed over with a note. The run's own resolved config.yaml describes it, so
 * the resumed run rebuilds the same model, data order and thread count, and every later loss equals the
 * uninterrupted run's.
 */
record Resumption(RunDirectory run, Path file, Checkpoint checkpoint, List<String> notes, FileChannel lock)
        implements AutoCloseable {
    /** The lock is the OS's: it is released when the run ends, or when the process dies, even by kill -9. */
    static Resumption open(Path dir) {
        RunDirectory run = RunDirectory.of(dir);
        FileChannel lock = lock(run);
        CheckpointFolder.Newest newest;
        try {
            newest = CheckpointFolder.newestIntact(run.checkpoints());
        } catch (RuntimeException e) {
            release(lock);
            throw e;
        }
        if (newest.checkpoint() == null) {
            release(lock);
            String why = newest.skipped().isEmpty() ? "it has none" : String.join("; ", newest.skipped());
            throw new CheckpointException("cannot resume " + dir + ": no intact checkpoint in " + run.checkpoints() + " (" + why
                    + "); train it again from its config: ravine train " + run.config());
        }
        return new Resumption(run, newest.file(), newest.checkpoint(), newest.skipped(), lock);
    }

    private static FileChannel lock(RunDirectory run) {
        Path lockFile = run.root().resolve(".lock");
        try {
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock held;
            try {
                held = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                held = null; // this process already trains there
            }
            if (held == null) {
                channel.close();
                throw new ConfigException("another ravine run is training in " + run.root() + "; wait for it to end");
            }
            return channel;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock the run folder " + run.root() + ": " + IoProblem.describe(e), e);
        }
    }

    private static void release(FileChannel lock) {
        try {
            lock.close();
        } catch (IOException e) {
            // closing releases the lock; a failure to close leaves it to the process's end
        }
    }

    @Override
    public void close() {
        release(lock);
    }

    /**
     * The doctor's state is not in checkpoints: a resumed run's doctor re-reads the readings and epochs before the
     * checkpoint from run.db (as {@code ravine doctor} does), so its detectors' windows and the findings already open
     * go on where the run left them.
     */
    void replayInto(Doctor doctor) {
        try (RunRecords records = RunRecords.open(run.database())) {
            doctor.replay(records.readings().stream().filter(r -> r.step() <= checkpoint.step()).toList(), epochsBefore(records),
                    records.curvature().stream().filter(c -> c.step() <= checkpoint.step()).toList());
        }
    }

    /** The epochs the run finished before the checkpoint, from its run.db, for what depends on their history. */
    List<EpochEvent> epochsBefore(RunDirectory run) {
        try (RunRecords records = RunRecords.open(run.database())) {
            return epochsBefore(records);
        }
    }

    private List<EpochEvent> epochsBefore(RunRecords records) {
        return records.epochs().stream().filter(e -> e.epoch() <= checkpoint.epoch()).toList();
    }

    /**
     * Whether the checkpoint is past the last epoch: then there is nothing left to train, though the end of the run
     * (test set, summary.json, report) may still be missing, when the run was killed between its last checkpoint and
     * its summary.
     */
    boolean trainedAllEpochs(int epochs) {
        return checkpoint.epoch() >= epochs;
    }

    /**
     * How the run ended, from its summary.json, when that end leaves nothing to resume: it completed, or early
     * stopping ended it, at the newest intact checkpoint's step. Null otherwise: no summary yet (killed), a summary of a
     * later step (newer checkpoints lost), stopped by a signal, failed or diverged. An unreadable
     * summary.json (it is written atomically, so only a hand edit makes one) counts as none: the checkpoints decide.
     */
    String endedBy() {
        Path file = run.summary();
        if (!Files.isRegularFile(file)) return null;
        try {
            JsonNode summary = new ObjectMapper().readTree(file.toFile());
            // a summary of a later step than the newest intact checkpoint: the checkpoints after it are lost or damaged,
            // so the steps since are trained again from it
            if (summary.path("steps").asLong(-1) != checkpoint.step()) return null;
            String status = summary.path("status").asText(""), reason = summary.path("reason").asText("");
            if (status.equals("completed")) return "it completed (" + reason + ")";
            if (status.equals("stopped") && reason.startsWith("early stopping")) return "it was ended by " + reason;
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
