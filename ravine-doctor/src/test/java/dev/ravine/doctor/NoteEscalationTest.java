package dev.ravine.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ravine.doctor.detect.Detector;
import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.RunFacts;
import dev.ravine.doctor.finding.Severity;
import dev.ravine.doctor.instrument.InstrumentOptions;
import dev.ravine.doctor.instrument.StepReading;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A note that becomes a problem is announced to the listeners again: those that act only on problems heard a note. */
class NoteEscalationTest {
    /** A note until step 50, a warning from then on. */
    private static final class Escalating implements Detector {
        @Override
        public String id() {
            return "dead_relu";
        }

        @Override
        public Optional<Finding> examine(List<StepReading> window, RunFacts facts) {
            long step = window.getLast().step();
            return Optional.of(new Finding(id(), "t", step < 50 ? Severity.INFO : Severity.WARNING, 10, step, List.of(), List.of("e"), "c", List.of()));
        }
    }

    @Test
    void aNoteThatBecomesAProblemOpensAgainOnce() {
        Doctor doctor = new Doctor(InstrumentOptions.defaults(), List.of(new Escalating()), List.of(), new RunFacts(0.1, "sgd", 0, List.of("linear")), 200);
        List<Severity> heard = new ArrayList<>();
        doctor.addFindingListener(f -> heard.add(f.severity()));
        List<StepReading> readings = new ArrayList<>();
        for (int i = 1; i <= 100; i++) readings.add(new StepReading(i, 0, 1.0, true, 1, List.of(), List.of()));
        doctor.replay(readings, List.of());
        assertEquals(List.of(Severity.INFO, Severity.WARNING), heard, "opened as a note, announced again as a problem, not at every step");
    }
}
