package dev.ravine.doctor.repair;

/**
 * One repair, as recorded in the run: at which step, for which finding, the remedy applied, the step the run went
 * back to, and the learning-rate scale before and after.
 */
public record RepairAction(long step, String findingId, String remedy, long rolledBackTo, double lrScaleBefore, double lrScaleAfter) {}
