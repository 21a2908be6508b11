package dev.ravine.doctor.probe;

import dev.ravine.doctor.finding.Remedy;

/**
 * One cause to test by experiment: the finding that names it, the one change that would remove it (a remedy of
 * {@link dev.ravine.doctor.finding.Remedies}, so the probe trains exactly the config {@code ravine doctor --fix} would
 * write), and where the probe starts.
 *
 * @param change a short name of the change ({@code lr/3}, {@code clip}, {@code standardize}, ...)
 */
public record Hypothesis(String findingId, String change, Remedy remedy, ProbeStart start) {}
