package dev.ravine.app.config;

import dev.ravine.doctor.instrument.InstrumentOptions;
import dev.ravine.doctor.probe.ProbeBudget;
import dev.ravine.doctor.repair.RepairOptions;
import java.util.List;

/**
 * {@code doctor: {enabled: true, every: 10, repair: false, max_repairs: 3, curvature_every: 2000}}: the training doctor
 * watches every run (full instrument readings every {@code every} steps; the top Hessian eigenvalue, and Adam's
 * preconditioned one, every {@code curvature_every} steps, 0 = never); with {@code repair} it also repairs a run that
 * a blocking problem would end, rolling back and lowering the learning rate, at most {@code max_repairs} times; with
 * {@code probes} it tests each finding's cause by counterfactual probes (short forks of the run that take at most
 * {@code probe_share} of its wall time, 0.1 by default; the end-of-run reference networks are bounded on their own).
 */
public record DoctorConfig(boolean enabled, int every, boolean repair, int maxRepairs, int curvatureEvery, boolean probes, double probeShare) {
    static final List<String> KEYS = List.of("enabled", "every", "repair", "max_repairs", "curvature_every", "probes", "probe_share");
    /** Whether findings are tested by probes unless a config says otherwise. */
    public static final boolean PROBES = false;
    /** Curvature readings every this many steps by default: a few percent of the run's time (bench/README.md). */
    public static final int CURVATURE_EVERY = 2000;
    public static final DoctorConfig DEFAULT = new DoctorConfig(true, InstrumentOptions.defaults().every(), false,
            RepairOptions.defaults().maxTries(), CURVATURE_EVERY, PROBES, ProbeBudget.SHARE);

    public DoctorConfig(boolean enabled, int every, boolean repair, int maxRepairs) {
        this(enabled, every, repair, maxRepairs, CURVATURE_EVERY, PROBES, ProbeBudget.SHARE);
    }

    public DoctorConfig(boolean enabled, int every, boolean repair, int maxRepairs, int curvatureEvery) {
        this(enabled, every, repair, maxRepairs, curvatureEvery, PROBES, ProbeBudget.SHARE);
    }

    public InstrumentOptions instrumentOptions() {
        return new InstrumentOptions(every, InstrumentOptions.defaults().deadWindow());
    }

    public RepairOptions repairOptions() {
        RepairOptions d = RepairOptions.defaults();
        return new RepairOptions(maxRepairs, d.lrFactor());
    }

    static DoctorConfig read(Section top) {
        if (!top.has("doctor")) return DEFAULT;
        Section s = top.section("doctor");
        if (s == null) return DEFAULT;
        s.allowOnly(KEYS);
        boolean enabled = s.bool("enabled", DEFAULT.enabled());
        int every = s.integer("every", DEFAULT.every(), 1);
        boolean repair = s.bool("repair", DEFAULT.repair());
        int maxRepairs = s.integer("max_repairs", DEFAULT.maxRepairs(), 1);
        int curvatureEvery = s.integer("curvature_every", DEFAULT.curvatureEvery(), 0);
        boolean probes = s.bool("probes", DEFAULT.probes());
        Double share = s.number("probe_share", DEFAULT.probeShare(), v -> v > 0 && v < 1,
                "a share of the run's time above 0 and below 1 (the probes' and reference networks' budget)");
        return new DoctorConfig(enabled, every, repair, maxRepairs, curvatureEvery, probes, share == null ? DEFAULT.probeShare() : share);
    }

    String yaml() {
        return "doctor: {enabled: " + enabled + ", every: " + every + ", repair: " + repair + ", max_repairs: " + maxRepairs
                + ", curvature_every: " + curvatureEvery + ", probes: " + probes + ", probe_share: " + probeShare + "}\n";
    }
}
