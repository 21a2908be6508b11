package dev.ravine.doctor.repair;

/**
 * One repair, as recorded in the run: at which step, for which finding, the remedy applied, the step the run went
 * back to, the learning-rate scale before and after, and how it was judged ({@link RepairPolicy#judgeSteps}): the mean
 * batch loss over the steps before it and over the last steps of its judging window, and the verdict; {@code note}
 * says what the repair did next because of it (the next remedy, or no further repair of the finding), or is empty.
 */
public record RepairAction(long step, String findingId, String remedy, long rolledBackTo, double lrScaleBefore, double lrScaleAfter,
        double lossBefore, double lossAfter, Verdict verdict, String note) {
    /** Healed: the loss fell to {@link RepairPolicy#HEALED} of its level before; unjudged: the run ended (or restarted) first. */
    public enum Verdict {
        UNJUDGED, HEALED, NOT_HEALED;

        public String id() {
            return name().toLowerCase();
        }
    }

    public RepairAction {
        if (verdict == null) throw new IllegalArgumentException("a repair's verdict may be unjudged, not null");
        if (note == null) note = "";
    }

    /** A repair not judged yet. */
    public RepairAction(long step, String findingId, String remedy, long rolledBackTo, double lrScaleBefore, double lrScaleAfter) {
        this(step, findingId, remedy, rolledBackTo, lrScaleBefore, lrScaleAfter, Double.NaN, Double.NaN, Verdict.UNJUDGED, "");
    }

    RepairAction before(double loss) {
        return new RepairAction(step, findingId, remedy, rolledBackTo, lrScaleBefore, lrScaleAfter, loss, lossAfter, verdict, note);
    }

    RepairAction judged(double loss, boolean healed) {
        return new RepairAction(step, findingId, remedy, rolledBackTo, lrScaleBefore, lrScaleAfter, lossBefore, loss,
                healed ? Verdict.HEALED : Verdict.NOT_HEALED, note);
    }

    RepairAction noted(String text) {
        return new RepairAction(step, findingId, remedy, rolledBackTo, lrScaleBefore, lrScaleAfter, lossBefore, lossAfter, verdict,
                note.isEmpty() ? text : note + "; " + text);
    }
}
