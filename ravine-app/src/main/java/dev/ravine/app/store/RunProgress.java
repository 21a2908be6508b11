package dev.ravine.app.store;

/**
 * How far a run's records have come, read by one cheap query ({@link RunRecords#progress}): equal values mean nothing
 * was committed in between. A live reader (the dashboard) polls it and reads rows only when it changes.
 *
 * @param lastStep      the newest recorded step, -1 before the first
 * @param epochs        finished epochs recorded
 * @param lastEvent     the newest event's sequence number, -1 for none (a finding opening or closing, a repair, the end)
 * @param repairs       repairs recorded
 * @param findings      finding rows
 * @param lastCurvature the newest curvature reading's step, -1 for none
 * @param status        the meta status: "running" until the run records how it ended
 */
public record RunProgress(long lastStep, int epochs, long lastEvent, int repairs, int findings, long lastCurvature, String status) {}
