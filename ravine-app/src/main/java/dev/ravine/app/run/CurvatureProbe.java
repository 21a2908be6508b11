package dev.ravine.app.run;

import dev.ravine.app.config.DoctorConfig;
import dev.ravine.app.store.RunStore;
import dev.ravine.data.Batch;
import dev.ravine.data.DataLoader;
import dev.ravine.data.Dataset;
import dev.ravine.doctor.Doctor;
import dev.ravine.doctor.curvature.CurvatureMonitor;

/**
 * Gives the doctor its fixed probe batch: for the plateau classifier (always) and the curvature monitor
 * ({@code doctor.curvature_every} > 0). The batch holds up to
 * {@value #PROBE_SIZE} training samples drawn in shuffled order (so a data set sorted by label still gives a mixed
 * batch), readings stored in run.db's {@code curvature_readings}.
 */
final class CurvatureProbe {
    /** Samples in the probe batch: enough for a stable estimate, few enough that a Hessian-vector product stays cheap. */
    static final int PROBE_SIZE = 128;

    private CurvatureProbe() {}

    /** @param plannedSteps the steps the run is to take (0 when unknown): the plateau watch fits its span to them */
    static void attach(Doctor doctor, DoctorConfig config, Dataset train, long seed, RunStore store, long plannedSteps) {
        if (!config.enabled()) return;
        Batch probe = new DataLoader(train, Math.min(PROBE_SIZE, train.size()), true, false, seed).epoch(0).iterator().next();
        doctor.watchPlateaus(probe.inputs(), probe.targets(), plannedSteps);
        if (config.curvatureEvery() == 0) return;
        doctor.watchCurvature(new CurvatureMonitor(CurvatureMonitor.Options.every(config.curvatureEvery()), probe.inputs(), probe.targets()));
        doctor.onCurvature(store::putCurvature);
    }
}
