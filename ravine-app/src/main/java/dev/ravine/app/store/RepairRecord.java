package dev.ravine.app.store;

/**
 * One repair the doctor applied, as run.db's {@code repairs} holds it.
 *
 * @param lrScaleBefore the learning-rate scale before the repair; NaN for a run recorded before run.db kept repairs
 * @param lossBefore    the batch loss that triggered the repair: NaN when it was non-finite, null when the run did not
 *                      record it
 */
public record RepairRecord(long step, String finding, String remedy, long rolledBackTo, double lrScaleBefore, double lrScaleAfter,
                           Double lossBefore) {}
