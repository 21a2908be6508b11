package dev.ravine.doctor.repair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.data.DataLoader;
import dev.ravine.data.Dataset;
import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Remedies;
import dev.ravine.doctor.finding.Remedy;
import dev.ravine.doctor.finding.Severity;
import dev.ravine.doctor.probe.ArmResult;
import dev.ravine.doctor.probe.EffectSize;
import dev.ravine.doctor.probe.Hypothesis;
import dev.ravine.doctor.probe.ProbeOutcome;
import dev.ravine.doctor.probe.ProbeStart;
import dev.ravine.doctor.repair.RepairAction.Verdict;
import dev.ravine.doctor.snapshot.RollingSnapshots;
import dev.ravine.nn.Linear;
import dev.ravine.nn.Module;
import dev.ravine.nn.Sequential;
import dev.ravine.nn.loss.MseLoss;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.Rng;
import dev.ravine.train.BatchEvent;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingListener;
import dev.ravine.train.TrainingOptions;
import dev.ravine.train.TrainingResult;
import dev.ravine.train.TrainingStatus;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * Each repair is judged by the loss after it: one that did not heal is followed by the next remedy, not the same one
 * again; a finding repaired twice without healing is left alone; a finding that opens again after a repair that
 * healed is not repaired while the loss stays down; data findings restart with their own remedy.
 */
class RepairJudgingTest {
    /**
     * 200 planned steps (10 epochs of 20 batches; a repair is judged 20 steps later) of a linear model on noise: once
     * it has fitted the mean, nothing lowers its loss by a tenth. {@code lr} 10 diverges.
     */
    private static TrainingResult run(double lr, RepairPolicy repair, BiConsumer<Long, RepairPolicy> atStep) {
        Rng rng = new Rng(1);
        float[] x = new float[200 * 6], y = new float[200];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        for (int i = 0; i < y.length; i++) y[i] = (float) rng.nextGaussian();
        Module model = new Sequential(new Linear(6, 1, true, rng));
        Trainer trainer = new Trainer(model, new MseLoss(), Optimizers.sgd(model.namedParameters(), lr), rng, TrainingOptions.epochs(10));
        trainer.addListener(new TrainingListener() { // the doctor reports before the repair hears the step, as in a run
            @Override
            public void onBatchEnd(Trainer t, BatchEvent e) {
                atStep.accept(e.step(), repair);
            }
        }).addListener(repair);
        return trainer.fit(new DataLoader(Dataset.regression(x, new int[] {6}, y, new int[] {1}), 10, true, false, 1), null);
    }

    private static Finding finding(String id, long step, List<Remedy> remedies) {
        return new Finding(id, id, Severity.WARNING, step, step, List.of(), List.of("gauge"), "cause", remedies);
    }

    private static RepairPolicy policy() {
        return new RepairPolicy(RepairOptions.defaults(), RollingSnapshots.defaults());
    }

    @Test
    void aFindingRepairedTwiceWithoutHealingIsNotRepairedAgainAndTheSummarySaysWhy() {
        RepairPolicy repair = policy();
        // dead_relu (a lower learning rate its first remedy) opens at 60 and again at 130 and 170: on noise no
        // repair can heal it
        TrainingResult r = run(0.01, repair, (step, p) -> {
            if (step == 60 || step == 130 || step == 170) p.opened(finding("dead_relu", step, List.of()));
        });
        assertEquals(TrainingStatus.COMPLETED, r.status());
        List<RepairAction> a = repair.actions();
        assertEquals(2, a.size(), a::toString);
        assertEquals(Verdict.NOT_HEALED, a.get(0).verdict(), a::toString);
        assertTrue(a.get(0).remedy().startsWith("optimizer.lr x 0.333"), a::toString);
        assertTrue(a.get(1).remedy().startsWith("weights re-drawn"), "the next remedy, not the same again: " + a);
        assertEquals(a.get(0).rolledBackTo() + RepairPolicy.judgeSteps(200), a.get(1).step(), "it follows the verdict at once");
        assertEquals(Verdict.NOT_HEALED, a.get(1).verdict());
        assertTrue(a.get(1).note().startsWith("not repaired again: 2 repairs of dead_relu did not heal it"), a::toString);
        for (RepairAction each : a) assertTrue(Double.isFinite(each.lossBefore()) && Double.isFinite(each.lossAfter()), each::toString);
    }

    @Test
    void aNoteIsNotRepairedUntilItIsAProblem() {
        // dead_relu as a note (dead units in a run that is learning) at step 60: no repair; the same finding as a warning at 130 is
        RepairPolicy repair = policy();
        Finding note = new Finding("dead_relu", "dead_relu", Severity.INFO, 60, 60, List.of(), List.of("gauge"), "cause", List.of());
        run(0.01, repair, (step, p) -> {
            if (step == 60) p.opened(note);
        });
        assertTrue(repair.actions().isEmpty(), repair.actions()::toString);
        RepairPolicy later = policy();
        run(0.01, later, (step, p) -> {
            if (step == 60) p.opened(note);
            if (step == 130) p.opened(finding("dead_relu", step, List.of()));
        });
        assertEquals(130, later.actions().getFirst().step(), "the first repair is the problem's, not the note's: " + later.actions());
    }

    @Test
    void aRepairThatHealedIsNotRepeatedWhileTheLossStaysDown() {
        RepairPolicy repair = new RepairPolicy(new RepairOptions(3, 0.01), RollingSnapshots.defaults());
        // lr 10 diverges within a few steps; the detector's finding opens again 40 steps after the repair
        long[] repairedAt = {-1};
        TrainingResult r = run(10, repair, (step, p) -> {
            if (repairedAt[0] < 0 && !p.actions().isEmpty()) repairedAt[0] = step;
            if (repairedAt[0] > 0 && step == repairedAt[0] + 40) p.opened(finding("exploding_gradients", step, List.of()));
        });
        assertEquals(TrainingStatus.COMPLETED, r.status(), r.reason());
        List<RepairAction> a = repair.actions();
        assertEquals(1, a.size(), a::toString);
        assertEquals(Verdict.HEALED, a.getFirst().verdict(), a::toString);
        assertEquals(Double.POSITIVE_INFINITY, a.getFirst().lossBefore(), "the loss before it was not finite");
        assertTrue(a.getFirst().lossAfter() < 3, a::toString);
    }

    /** lr*3 confirmed at step 15, on a loss it cannot move: x3 in place, judged, then x10 of the original, then no more. */
    @Test
    void aLearningRateRaiseThatDoesNotMoveTheLossBecomesX10ThenStops() {
        RepairPolicy repair = policy();
        Finding low = finding("lr_too_low", 15, List.of());
        Hypothesis h = new Hypothesis("lr_too_low", "lr*3", Remedies.learningRate(0.0001, 0.0003, "larger"), ProbeStart.SNAPSHOT);
        ProbeOutcome confirmed = ProbeOutcome.measured(h, 0, 40, new ArmResult(1.0, 0.99, 40, false, 0.01), new ArmResult(1.0, 0.95, 40, false, 0.01),
                EffectSize.defaults());
        // lr 1e-4 on a model that has fitted nothing: the loss hardly moves in 20 steps at 3x or 10x that
        TrainingResult r = run(1e-4, repair, (step, p) -> {
            if (step == 15) p.probed(low, List.of(confirmed));
        });
        assertEquals(TrainingStatus.COMPLETED, r.status());
        assertEquals(200, r.steps(), "nothing undone");
        List<RepairAction> a = repair.actions();
        assertEquals(2, a.size(), a::toString);
        assertEquals(3, a.get(0).lrScaleAfter(), 1e-12);
        assertEquals(10, a.get(1).lrScaleAfter(), 1e-12);
        assertEquals(a.get(1).step(), a.get(1).rolledBackTo());
        assertTrue(a.get(1).note().startsWith("not repaired again"), a::toString);
    }

    @Test
    void anUnshuffledRunRestartsWithItsRemedyWithoutAProbeAndOnlyEarly() {
        RepairPolicy early = policy();
        TrainingResult r = run(0.01, early, (step, p) -> {
            if (step == 1) p.opened(finding("data_unshuffled", 0, List.of(Remedies.shuffle())));
        });
        assertEquals(TrainingStatus.STOPPED, r.status(), r.reason());
        assertEquals(List.of("data.shuffle=true"), early.restart().orElseThrow().sets());
        assertTrue(early.actions().getFirst().remedy().contains("the data_unshuffled finding's remedy"), early.actions()::toString);

        RepairPolicy late = policy(); // step 30 of 200: more than a tenth thrown away, and no learning rate fixes the order
        TrainingResult kept = run(0.01, late, (step, p) -> {
            if (step == 30) p.opened(finding("data_unshuffled", 0, List.of(Remedies.shuffle())));
        });
        assertEquals(TrainingStatus.COMPLETED, kept.status());
        assertTrue(late.actions().isEmpty(), late.actions()::toString);
    }

    @Test
    void theJudgeComparesMeansAndAnInfiniteBeforeIsBeatenByAnyFiniteAfter() {
        RepairJudge j = new RepairJudge();
        for (double l : new double[] {2, 2, 2, 2}) j.observe(l);
        assertEquals(2, j.recentMean(), 1e-12);
        j.start(0, j.recentMean());
        for (double l : new double[] {3, 3, 1.7, 1.8}) j.observe(l);
        assertTrue(j.due(4));
        RepairJudge.Verdict v = j.verdict(RepairPolicy.HEALED);
        assertEquals(1.75, v.lossAfter(), 1e-12, "the last half of the window");
        assertTrue(v.healed(), "1.75 <= 0.9 x 2");
        j.observe(Double.NaN);
        assertEquals(Double.POSITIVE_INFINITY, j.recentMean());
        j.start(1, j.recentMean());
        j.observe(50);
        assertTrue(j.verdict(RepairPolicy.HEALED).healed());
    }

    @Test
    void aLossClimbingAgainWithinItsWindowDidNotHeal() {
        RepairJudge j = new RepairJudge();
        j.observe(Double.NaN);
        j.start(0, j.recentMean()); // diverged before: any finite loss after is lower
        for (double l : new double[] {2, 2.5, 4, 6}) j.observe(l); // falls from the rollback, then climbs again
        RepairJudge.Verdict v = j.verdict(RepairPolicy.HEALED);
        assertTrue(!v.healed(), "5 is more than 1.5x 2.25");
        j.start(1, 10);
        for (double l : new double[] {2, 2.5, 2.4, 2.6}) j.observe(l); // noise around a level well below the one before
        assertTrue(j.verdict(RepairPolicy.HEALED).healed());
    }

    /** lr_too_high's lr /3 that did not heal is followed by lr/10 of the rate before it, not by new weights. */
    @Test
    void aStepTooLargeThatALowerRateDidNotHealGetsALowerOneStill() {
        RepairPolicy repair = policy();
        TrainingResult r = run(0.01, repair, (step, p) -> {
            if (step == 60) p.opened(finding("lr_too_high", step, List.of()));
        });
        assertEquals(TrainingStatus.COMPLETED, r.status());
        List<RepairAction> a = repair.actions();
        assertEquals(2, a.size(), a::toString);
        assertEquals(1.0 / 3, a.get(0).lrScaleAfter(), 1e-12);
        assertEquals(0.1, a.get(1).lrScaleAfter(), 1e-12, a::toString);
        assertTrue(a.get(1).remedy().startsWith("optimizer.lr x 0.3"), a::toString);
    }
}
