package dev.ravine.doctor;

/**
 * How many steps a flat stretch must span for {@link PlateauWatch} to analyse it, in a run of a known length: the
 * default span (60 steps), or half the run when the run is shorter than twice that, and never below
 * {@value #SHORTEST}. A span longer than the run can never be seen: a 30-step full-batch regression down a
 * condition-2000 ravine sat at 0.9x its first loss from step 12 to its end, and a 60-step window never filled. Half the
 * run keeps the watch's meaning (the loss made no headway over a stretch that long, relative to the run's own horizon)
 * and leaves the other half for the loss to have got there and for the analysis' updates.
 */
final class PlateauSpan {
    private PlateauSpan() {}

    /** The fewest steps a stretch can span: five a half, for the medians that judge flatness. */
    static final int SHORTEST = 10;

    /** {@code defaults} with its span fitted to a run of {@code plannedSteps} (unchanged when the length is unknown: 0 or less). */
    static PlateauWatch.Options forRun(PlateauWatch.Options defaults, long plannedSteps) {
        if (plannedSteps <= 0) return defaults;
        int span = (int) Math.max(SHORTEST, Math.min(defaults.flatSteps(), plannedSteps / 2));
        return new PlateauWatch.Options(span, defaults.flatTolerance(), defaults.highFraction(), defaults.updates());
    }
}
