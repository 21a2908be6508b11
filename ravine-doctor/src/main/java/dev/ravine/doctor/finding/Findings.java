package dev.ravine.doctor.finding;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The order in which a run's findings explain it: problems (WARNING, BLOCKING) before notes (INFO); findings that
 * name a cause before those that only describe a symptom ({@link #SYMPTOMS}: a loss stuck at chance level says what
 * happens, not why); then the earliest first, because the first thing to go wrong is usually the cause of what
 * follows (NaN in the data makes the loss NaN; a learning rate too high kills the ReLUs; a saddle is why the loss is
 * flat). Findings that began at the same step go by severity, BLOCKING first. Above all of these among the problems,
 * a finding a counterfactual probe confirmed (its evidence opens with {@link #PROBE_CONFIRMED}): an experiment showed
 * that removing its cause makes the loss behave, which no reading of gauges can.
 */
public final class Findings {
    private Findings() {}

    /** Finding ids that describe what the loss does without naming a cause (stuck at chance, growing tenfold per step). */
    public static final java.util.Set<String> SYMPTOMS = java.util.Set.of("loss_stuck_at_chance", "runaway_growth");

    /** How the evidence line of a probe-confirmed finding begins (dev.ravine.doctor.probe.ProbeEvidence writes it). */
    public static final String PROBE_CONFIRMED = "probe confirmed:";
    /** How the evidence line of a finding every probe refuted begins (it is demoted to INFO). */
    public static final String PROBE_REFUTED = "probe refuted:";

    public static boolean probeConfirmed(Finding f) {
        return !f.evidence().isEmpty() && f.evidence().getFirst().startsWith(PROBE_CONFIRMED);
    }

    public static final Comparator<Finding> ROOT_CAUSE_FIRST = Comparator
            .comparing((Finding f) -> f.severity() == Severity.INFO)
            .thenComparing((Finding f) -> !probeConfirmed(f))
            .thenComparing((Finding f) -> SYMPTOMS.contains(f.id()))
            .thenComparingLong(Finding::firstStep)
            .thenComparing(Finding::severity, Comparator.reverseOrder());

    public static List<Finding> ranked(List<Finding> findings) {
        List<Finding> out = new ArrayList<>(findings);
        out.sort(ROOT_CAUSE_FIRST);
        return out;
    }

    /** The finding that explains the run best, if any problem (WARNING or BLOCKING) was found. */
    public static Optional<Finding> top(List<Finding> findings) {
        return ranked(findings).stream().filter(f -> f.severity() != Severity.INFO).findFirst();
    }
}
