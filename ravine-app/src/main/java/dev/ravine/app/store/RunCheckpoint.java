package dev.ravine.app.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.app.TextFormat;
import dev.ravine.io.CheckpointException;
import dev.ravine.train.BestCheckpoint;
import dev.ravine.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The weights a command uses for a run: a checkpoint file the user named, else {@code checkpoints/best.ckpt} (the
 * weights summary.json's test figures are of), else the newest rolling checkpoint; {@code newest} asks for the
 * latter. {@link #describe} says which it is and why, for the command's output.
 */
public record RunCheckpoint(Path file, Kind kind, String why) {
    public enum Kind { GIVEN, BEST, NEWEST }

    /**
     * @param given  a checkpoint file the user named, or null
     * @param newest take the newest rolling checkpoint even when best.ckpt exists
     */
    public static RunCheckpoint choose(RunDirectory run, Path given, boolean newest, Path workingDir) {
        if (given != null && Files.isRegularFile(given)) return new RunCheckpoint(given, Kind.GIVEN, "the checkpoint given");
        Path best = run.checkpoints().resolve(BestCheckpoint.FILE_NAME);
        if (!newest && Files.isRegularFile(best)) return new RunCheckpoint(best, Kind.BEST, bestReason(run));
        Path latest = Trainer.latestCheckpoint(run.checkpoints());
        if (latest == null) {
            throw new CheckpointException("run " + run.display(workingDir) + " has no checkpoint in checkpoints/ (did its training end "
                    + "before the first epoch?); nothing to use");
        }
        String why = newest ? "the newest checkpoint (--newest)" : "the newest checkpoint: the run kept no best.ckpt (it had no validation data)";
        return new RunCheckpoint(latest, Kind.NEWEST, why);
    }

    /** "best val_loss 0.2841 at epoch 9", from summary.json; the plain reason when the run has none yet. */
    private static String bestReason(RunDirectory run) {
        String plain = "the best checkpoint";
        if (!Files.isRegularFile(run.summary())) return plain;
        try {
            JsonNode b = new ObjectMapper().readTree(run.summary().toFile()).get("best_checkpoint");
            if (b == null || b.isNull()) return plain;
            return plain + ": best " + b.path("metric").asText() + " " + TextFormat.fixed(b.path("value").asDouble(), 6)
                    + " at epoch " + b.path("epoch").asInt() + ", the weights summary.json's test figures are of";
        } catch (IOException e) {
            return plain;
        }
    }

    /** "checkpoints/best.ckpt (the best checkpoint: best val_loss ... )". */
    public String describe(Path workingDir) {
        return TextFormat.path(file, workingDir) + " (" + why + ")";
    }
}
