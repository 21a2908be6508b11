package dev.ravine.app.run;

import dev.ravine.app.build.RunData;
import dev.ravine.app.store.RunEvent;
import dev.ravine.app.store.RunStore;
import dev.ravine.doctor.Doctor;
import java.util.Map;

/**
 * NaN or infinite training values, with the doctor on: the doctor has just examined the data and opened its data_nan
 * finding (evidence: how many values, the first sample and feature); the finding goes to run.db so the run folder
 * explains itself, and the run stops before its first step with the load-time error (exit code 2), since no step on
 * such data can be useful.
 */
final class NonFiniteTrainingData {
    private NonFiniteTrainingData() {}

    static void stopIfPresent(RunData data, Doctor doctor, RunStore store) {
        if (data.nonFiniteTrain() == null) return;
        store.putFindings(doctor.findings());
        store.putMeta(Map.of("status", "failed", "reason", data.nonFiniteTrain().getMessage()));
        store.putEvent(0L, RunEvent.RUN_ENDED, "failed", data.nonFiniteTrain().getMessage());
        throw data.nonFiniteTrain();
    }
}
