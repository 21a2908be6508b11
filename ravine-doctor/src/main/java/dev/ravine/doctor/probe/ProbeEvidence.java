package dev.ravine.doctor.probe;

import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Findings;
import dev.ravine.doctor.finding.Remedy;
import dev.ravine.doctor.finding.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What a finding's probes make of it. A confirmed finding gets its winning probe as the first line of its evidence
 * (beginning {@link Findings#PROBE_CONFIRMED}, which ranks it first) and the winning change as its first remedy; a
 * finding every probe refuted (each ran to the end and none lowered the loss) is demoted to INFO, so it no longer
 * counts as the run's problem; otherwise the probes are added as evidence and the finding is left as it was.
 */
public final class ProbeEvidence {
    private ProbeEvidence() {}

    /**
     * The strongest confirmed probe: the largest effect, then (effects tie when the control diverged: +infinity for
     * every probe that did not) the lowest loss the probe reached.
     */
    public static Optional<ProbeOutcome> winner(List<ProbeOutcome> outcomes) {
        return outcomes.stream().filter(o -> o.verdict() == ProbeVerdict.CONFIRMED)
                .max(Comparator.comparingDouble(ProbeOutcome::effect).thenComparingDouble(o -> -o.probe().endLoss()));
    }

    /** Every probe ran and none helped. */
    public static boolean refuted(List<ProbeOutcome> outcomes) {
        return !outcomes.isEmpty() && outcomes.stream().allMatch(o -> o.verdict() == ProbeVerdict.REFUTED);
    }

    public static Finding apply(Finding f, List<ProbeOutcome> outcomes) {
        if (outcomes.isEmpty()) return f;
        List<String> evidence = new ArrayList<>();
        Optional<ProbeOutcome> won = winner(outcomes);
        List<Remedy> remedies = f.remedies();
        Severity severity = f.severity();
        if (won.isPresent()) {
            evidence.add(Findings.PROBE_CONFIRMED + " " + won.get().describe());
            remedies = withFirst(f.remedies(), won.get().hypothesis().remedy());
        } else if (refuted(outcomes)) {
            evidence.add(Findings.PROBE_REFUTED + " no probe's change lowered the loss below the unchanged control's, so this is"
                    + " demoted to a note");
            severity = Severity.INFO;
        }
        evidence.addAll(f.evidence().stream().filter(line -> !line.startsWith(Findings.PROBE_CONFIRMED) && !line.startsWith(Findings.PROBE_REFUTED)
                && !line.startsWith("probe ")).toList());
        for (ProbeOutcome o : outcomes) if (won.isEmpty() || o != won.get()) evidence.add(o.describe());
        return new Finding(f.id(), f.title(), severity, f.firstStep(), f.lastStep(), f.layers(), evidence, f.cause(), remedies);
    }

    /** The remedy first, the others after in their order (the same change is not listed twice). */
    private static List<Remedy> withFirst(List<Remedy> remedies, Remedy first) {
        List<Remedy> out = new ArrayList<>();
        out.add(first);
        for (Remedy r : remedies) if (!r.change().equals(first.change())) out.add(r);
        return out;
    }
}
