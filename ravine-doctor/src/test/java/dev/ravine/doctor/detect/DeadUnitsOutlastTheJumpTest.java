package dev.ravine.doctor.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Findings;
import dev.ravine.doctor.finding.Refutation;
import dev.ravine.doctor.finding.Severity;
import dev.ravine.doctor.instrument.StepReading;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A jump the run came back from below its start, with the ReLUs it killed still dead: dead_relu is the problem that stands. */
class DeadUnitsOutlastTheJumpTest {
    private static Finding finding(String id, Severity severity, long first, long last) {
        return new Finding(id, id, severity, first, last, List.of("3", "5"), List.of("evidence"), "cause", List.of());
    }

    // fresh5-dead-relu-adagrad-big-step-blobs at seed 1: a 3700x jump at step 3 (read over steps 1-100), 62.5% of layers
    // 3 and 5 dead from step 20 to the end, start 1.39, the last third's median 0.65
    private static final Finding JUMP = finding("lr_too_high", Severity.BLOCKING, 1, 100);
    private static final Finding DEAD = finding("dead_relu", Severity.WARNING, 20, 100);

    @Test
    void aJumpTheRunCameBackFromWithUnitsStillDeadRanksDeadReluFirst() {
        Refutation r = DeadUnitsOutlastTheJump.judge(JUMP, DEAD, true, 1.39, Math.log(4), 0.65).orElseThrow();
        assertEquals("lr_too_high", r.findingId());
        assertTrue(r.evidence().getFirst().contains("0.4689x the chance loss 1.386"), r.evidence()::toString);
        Finding demoted = r.applyTo(JUMP);
        assertEquals(Severity.INFO, demoted.severity());
        assertEquals("dead_relu", Findings.top(List.of(demoted, DEAD)).orElseThrow().id());
        assertEquals("lr_too_high", Findings.top(List.of(JUMP, DEAD)).orElseThrow().id(), "without the judgement the earlier jump ranks first");
    }

    @Test
    void theDivergenceStandsWhenAnyPartIsMissing() {
        // fresh-adagrad-cnn: back only to 1.02x its start after the jump, nothing learnt
        assertTrue(DeadUnitsOutlastTheJump.judge(JUMP, DEAD, true, 2.292, Math.log(10), 2.325).isEmpty());
        // fresh-adamax-digits14: back to 0.991x its start, at the chance level, with its ReLUs dead: nothing learnt after the jump
        assertTrue(DeadUnitsOutlastTheJump.judge(JUMP, DEAD, true, 2.305, Math.log(10), 2.285).isEmpty());
        // fresh5-dead-relu-adagrad-big-step-blobs at seed 2: 0.916x its start, below the chance band
        assertTrue(DeadUnitsOutlastTheJump.judge(JUMP, DEAD, true, 1.384, Math.log(4), 1.27).isPresent());
        // fresh2-lr-high-adamw-cnn: started above chance (2.646), jumped 128x, came back to 2.333: 0.88x its first loss but
        // 1.01x the chance loss, where nothing is learnt
        assertTrue(DeadUnitsOutlastTheJump.judge(JUMP, DEAD, true, 2.646, Math.log(10), 2.333).isEmpty());
        // a regression (no chance loss): judged against its first loss
        assertTrue(DeadUnitsOutlastTheJump.judge(JUMP, DEAD, true, 1.0, Double.NaN, 0.5).isPresent());
        // the units came back (dead_relu closed), or their death was a harmless note, or there were none
        assertTrue(DeadUnitsOutlastTheJump.judge(JUMP, DEAD, false, 1.39, Math.log(4), 0.65).isEmpty());
        assertTrue(DeadUnitsOutlastTheJump.judge(JUMP, finding("dead_relu", Severity.INFO, 20, 100), true, 1.39, Math.log(4), 0.65).isEmpty());
        assertTrue(DeadUnitsOutlastTheJump.judge(JUMP, null, true, 1.39, Math.log(4), 0.65).isEmpty());
        // an oscillating or cutting lr_too_high (a WARNING) claims no divergence for the recovery to contradict
        assertTrue(DeadUnitsOutlastTheJump.judge(finding("lr_too_high", Severity.WARNING, 1, 100), DEAD, true, 1.39, Math.log(4), 0.65).isEmpty());
        // units dead before the jump: not the jump's doing
        assertTrue(DeadUnitsOutlastTheJump.judge(finding("lr_too_high", Severity.BLOCKING, 30, 100), DEAD, true, 1.39, Math.log(4), 0.65).isEmpty());
        assertTrue(DeadUnitsOutlastTheJump.judge(JUMP, DEAD, true, 1.39, Math.log(4), Double.NaN).isEmpty());
    }

    @Test
    void theEndIsTheMedianOfTheLastThirdOfFiniteLosses() {
        List<StepReading> history = new ArrayList<>();
        double[] loss = {1.4, 5000, 20, 1.0, 0.7, Double.NaN, 0.6, 0.9, 0.5, 0.4};
        for (int i = 0; i < loss.length; i++) history.add(new StepReading(i + 1, 0, loss[i], false, Double.NaN, List.of(), List.of()));
        // nine finite losses: the last three 0.9, 0.5, 0.4
        assertEquals(0.5, DeadUnitsOutlastTheJump.endLoss(history), 1e-12);
        assertTrue(Double.isNaN(DeadUnitsOutlastTheJump.endLoss(List.of())));
    }
}
