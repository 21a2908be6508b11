package dev.ravine.lab.labs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ravine.data.Dataset;
import dev.ravine.lab.net.DigitData;
import dev.ravine.lab.net.NetTraining;
import dev.ravine.train.EpochEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Lab 10's L-BFGS mini-batch arm, the one that gave different losses for the same seed (the Vector API's tanh gave
 * other bits once the JIT compiler had compiled it; see SigmoidAndTanhTest): run twice from the same seed, every epoch's training loss and the final loss must be the same bits. L-BFGS
 * on mini-batches amplifies a one-ulp difference anywhere in a step into a different run, so it is the sharpest check
 * that the training path is deterministic.
 */
class FullBatchLabTest {
    @Test
    void theLbfgsMiniBatchArmGivesTheSameLossesTwice() {
        Dataset train = DigitData.load(150, 10).train();
        double[] first = losses(train), second = losses(train);
        for (int i = 0; i < first.length; i++) assertEquals(first[i], second[i], 0.0, "loss " + i + " of " + first.length);
    }

    /** Each epoch's training loss, then the final loss over the training set. */
    private static double[] losses(Dataset train) {
        NetTraining run = FullBatchLab.train(FullBatchLab.method("lbfgs_mini"), train, 3, 1);
        List<EpochEvent> history = run.result().history();
        double[] out = new double[history.size() + 1];
        for (int e = 0; e < history.size(); e++) out[e] = history.get(e).trainLoss();
        out[history.size()] = run.evaluate(train).loss();
        return out;
    }
}
