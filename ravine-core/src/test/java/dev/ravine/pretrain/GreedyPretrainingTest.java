package dev.ravine.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.nn.Activation;
import dev.ravine.nn.Dropout;
import dev.ravine.nn.Flatten;
import dev.ravine.nn.Linear;
import dev.ravine.nn.Sequential;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GreedyPretrainingTest {
    private static Activation sigmoid() {
        return new Activation(Activation.Kind.SIGMOID);
    }

    /** 200 samples [1, 2, 4]: noisy copies of 3 binary 8-pixel images. */
    private static float[] images(Rng rng) {
        float[][] protos = {{1, 1, 1, 1, 0, 0, 0, 0}, {1, 0, 1, 0, 1, 0, 1, 0}, {0, 0, 1, 1, 1, 1, 0, 0}};
        float[] x = new float[200 * 8];
        for (int r = 0; r < 200; r++) {
            float[] p = protos[r % 3];
            for (int i = 0; i < 8; i++) x[r * 8 + i] = rng.nextFloat() < 0.05f ? 1 - p[i] : p[i];
        }
        return x;
    }

    @Test void eachRbmLearnsFromThePreviousHiddenProbabilitiesAndLandsInItsLinearLayer() {
        Rng rng = new Rng(1);
        Linear l1 = new Linear(8, 6, true, rng), l2 = new Linear(6, 4, true, rng), out = new Linear(4, 3, true, rng);
        Sequential net = new Sequential(new Flatten(), l1, sigmoid(), new Dropout(0.5, rng), l2, sigmoid(), out);
        net.train(true);
        float[] x = images(rng);
        List<String> lines = new ArrayList<>();
        List<GreedyPretraining.PretrainedBlock> done = GreedyPretraining.pretrain(net, VisibleUnits.BERNOULLI, x, 200,
                new int[] {1, 2, 4}, null, 0, new RbmOptions(1, false, 8, 0.3, 0.5, 0, 10), rng,
                (number, block, e) -> lines.add(number + ":" + block.index() + ":" + e.epoch()));
        assertEquals(16, lines.size());
        assertEquals(List.of("0:1:1", "0:1:8", "1:4:1", "1:4:8"), List.of(lines.get(0), lines.get(7), lines.get(8), lines.get(15)));
        assertEquals(2, done.size());
        Rbm first = done.get(0).rbm(), second = done.get(1).rbm();
        assertEquals(8, first.visible());
        assertEquals(4, second.hidden());
        // the net computes the stack's hidden probabilities (dropout is off in eval mode)
        assertTrue(net.isTraining(), "the net's mode is restored");
        net.eval();
        Tensor input = Tensor.of(x.clone(), 200, 1, 2, 4);
        List<dev.ravine.nn.Module> layers = net.layers();
        Tensor h = input;
        for (int i = 0; i < 6; i++) h = layers.get(i).call(h);
        float[] expected = second.hiddenProbabilities(first.hiddenProbabilities(x, 200), 200);
        assertArrayEquals(expected, h.toArray(), 1e-5f);
        // pre-training learned something: the first RBM reconstructs better at the end (after a plateau of a few
        // epochs while its small initial weights grow)
        List<RbmEpoch> epochs = done.get(0).epochs();
        assertTrue(epochs.getLast().reconstructionError() < 0.7 * epochs.getFirst().reconstructionError(),
                epochs.getFirst().reconstructionError() + " -> " + epochs.getLast().reconstructionError());
    }

    @Test void onlyTheFirstBlockHasGaussianVisibleUnits() {
        Rng rng = new Rng(2);
        Sequential net = new Sequential(new Linear(8, 6, true, rng), sigmoid(), new Linear(6, 4, true, rng), sigmoid(),
                new Linear(4, 4, true, rng), Activation.relu(), new Linear(4, 4, true, rng), sigmoid(), new Linear(4, 2, true, rng));
        List<GreedyPretraining.Block> blocks = GreedyPretraining.blocks(net, VisibleUnits.GAUSSIAN);
        assertEquals(List.of(0, 2, 6), blocks.stream().map(GreedyPretraining.Block::index).toList());
        // after a relu the inputs are not probabilities: the configured kind again
        assertEquals(List.of(VisibleUnits.GAUSSIAN, VisibleUnits.BERNOULLI, VisibleUnits.GAUSSIAN),
                blocks.stream().map(GreedyPretraining.Block::units).toList());
    }

    @Test void aNetWithoutLinearSigmoidBlocksIsRefused() {
        Rng rng = new Rng(3);
        Sequential net = new Sequential(new Linear(8, 6, true, rng), Activation.relu(), new Linear(6, 2, true, rng), sigmoid());
        net.layers(); // the last linear -> sigmoid pair is a block: only relu nets have none
        Sequential relu = new Sequential(new Linear(8, 6, true, rng), Activation.relu(), new Linear(6, 2, true, rng));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GreedyPretraining.pretrain(relu,
                VisibleUnits.BERNOULLI, new float[16], 2, new int[] {8}, null, 0, RbmOptions.defaults(), rng, null));
        assertEquals("the model has no linear layer followed by a sigmoid to pre-train as an RBM", e.getMessage());
        assertEquals(1, GreedyPretraining.blocks(net, VisibleUnits.BERNOULLI).size());
    }

    @Test void aWeightNormalizedLinearLayerIsRefusedBeforeAnyTraining() {
        Rng rng = new Rng(4);
        Sequential net = new Sequential(new Linear(8, 6, true, rng, null, dev.ravine.nn.WeightForm.WEIGHT_NORM), sigmoid(),
                new Linear(6, 2, true, rng));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GreedyPretraining.pretrain(net,
                VisibleUnits.BERNOULLI, new float[16], 2, new int[] {8}, null, 0, RbmOptions.defaults(), rng, null));
        assertTrue(e.getMessage().startsWith("the linear layer 0 cannot take the RBM's weights: "), e.getMessage());
    }
}
