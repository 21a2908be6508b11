package dev.ravine.doctor.provenance;

import static dev.ravine.doctor.detect.Readings.fmt;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a run's NaN or infinity came from, found by replaying the failing step (and the steps since the last snapshot)
 * with per-op finite checks: the first op that made a non-finite value from finite ones, forward or backward, or the
 * optimizer link or weight update that did, with its layer (as the config names it) and parameter; or, when the
 * non-finite value came in with the batch, the samples that hold it (a data problem, not an op's). Also where the
 * loss's climb to it began.
 *
 * @param failedStep   the step the trainer reported as non-finite
 * @param trigger      what it reported: the loss, or the gradients' norm of a refused step
 * @param replayedFrom the snapshot's step: the replay ran the steps after it
 * @param originStep   the step at which the first non-finite value was made (0 when the replay did not reproduce one)
 * @param phase        forward, backward, update or input ("" when not reproduced)
 * @param op           the op, optimizer link or {@code w + update}
 * @param layer        the layer's config path ({@code model.layers[3]}), {@code the loss}, or "" for none
 * @param parameter    the parameter involved, or ""
 * @param detail       the values, in words (input ranges, counts; the samples, for a data problem)
 * @param growthStart  the first step of the loss's climb to the failure (0 for none)
 * @param growth       the climb in words ("" for none)
 */
public record NonFiniteProvenance(long failedStep, String trigger, long replayedFrom, long originStep, String phase, String op, String layer,
                                  String parameter, String detail, long growthStart, String growth) {
    public boolean reproduced() {
        return originStep > 0;
    }

    /** A data problem: the non-finite value entered with the batch, no op or weight made it. */
    public boolean fromData() {
        return "input".equals(phase) && parameter.isEmpty();
    }

    /** The finding's evidence lines. */
    public List<String> evidence() {
        List<String> lines = new ArrayList<>();
        String replay = "replayed steps " + (replayedFrom + 1) + "-" + failedStep + " from the snapshot of step " + replayedFrom + " with per-op finite checks";
        if (!reproduced()) {
            lines.add("NaN origin not found: " + replay + ", and no op made a non-finite value (" + detail + ")");
        } else if (fromData()) {
            lines.add("NaN origin: the batch of step " + originStep + " brought it in (" + replay + "): a data problem, not an op; " + detail);
        } else {
            lines.add("NaN origin: step " + originStep + ", " + phase + " " + op + " in " + (layer.isEmpty() ? "no layer" : layer)
                    + (parameter.isEmpty() ? "" : ", parameter " + parameter) + " (" + replay + ")");
            lines.add("NaN origin detail: " + detail);
        }
        if (!growth.isEmpty()) lines.add("growth: " + growth);
        return lines;
    }

    /** The terminal's one line. */
    public String line() {
        String where = !reproduced() ? "not reproduced by the replay from step " + replayedFrom
                : fromData() ? "the batch of step " + originStep + " (data)"
                : "step " + originStep + ", " + phase + " " + op + " in " + (layer.isEmpty() ? "no layer" : layer) + (parameter.isEmpty() ? "" : " (" + parameter + ")");
        return trigger + " at step " + failedStep + ": first non-finite value at " + where + (growthStart > 0 ? "; the climb began at step " + growthStart : "");
    }

    /** The climb in words, from the loss history. */
    static String describe(GrowthOnset g) {
        if (!g.found()) return "";
        return "the loss climbed from " + fmt(g.from()) + " at step " + (g.onset() - 1) + " (near its lowest so far) to " + fmt(g.peak()) + " at step " + g.peakStep()
                + (g.tenfoldStep() > 0 ? "; tenfold or more in one step first at step " + g.tenfoldStep() + " (" + fmt(g.tenfoldFrom()) + " -> " + fmt(g.tenfoldTo()) + ")" : "");
    }
}
