package dev.ravine.doctor.finding;

import java.util.ArrayList;
import java.util.List;

/**
 * A finding's harm contradicted by the run's own records: a warning must have its consequence, so a finding whose
 * consequence did not happen (an imbalance whose rare classes were learned anyway, noisy labels that the model fits,
 * a capacity verdict on a run still falling steadily) is demoted to INFO. It stays in the run's findings with the
 * refuting numbers as its first evidence line ({@link #PREFIX}), so every view ranks it after the problems
 * ({@link Findings#ROOT_CAUSE_FIRST} puts notes last) and a reader sees why it is no longer one.
 *
 * @param findingId the finding it refutes
 * @param evidence  the run's numbers that contradict it, as sentences
 */
public record Refutation(String findingId, List<String> evidence) {
    /** How the first evidence line of a refuted finding begins. */
    public static final String PREFIX = "refuted by the run:";

    public Refutation {
        evidence = List.copyOf(evidence);
        if (evidence.isEmpty()) throw new IllegalArgumentException("a refutation needs its numbers");
    }

    /** Whether {@code f} is a refuted finding (its evidence opens with {@link #PREFIX}). */
    public static boolean refuted(Finding f) {
        return !f.evidence().isEmpty() && f.evidence().getFirst().startsWith(PREFIX);
    }

    /** {@code f} demoted to INFO, the refuting numbers first, its own evidence after (a second refutation replaces the first). */
    public Finding applyTo(Finding f) {
        if (!f.id().equals(findingId)) throw new IllegalArgumentException("a refutation of " + findingId + " applied to " + f.id());
        List<String> lines = new ArrayList<>();
        lines.add(PREFIX + " " + evidence.getFirst());
        lines.addAll(evidence.subList(1, evidence.size()));
        int own = refuted(f) ? 1 : 0;
        lines.addAll(f.evidence().subList(own, f.evidence().size()));
        return new Finding(f.id(), f.title(), Severity.INFO, f.firstStep(), f.lastStep(), f.layers(), lines, f.cause(), f.remedies());
    }
}
