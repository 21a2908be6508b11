package dev.ravine.app.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ravine.nn.Conv2d;
import dev.ravine.nn.Gru;
import dev.ravine.init.Initializer;
import dev.ravine.nn.Lstm;
import dev.ravine.nn.Module;
import dev.ravine.nn.Recurrent;
import dev.ravine.nn.Rnn;
import dev.ravine.nn.WeightForm;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The parameter counts the memory check refuses a model by are the counts the layers allocate: recurrent stacks in
 * every shape (bidirectional ones have a second direction, and their upper layers read both), grouped convolutions.
 */
class MemoryEstimateCountTest {
    private static long allocated(Module m) {
        return m.namedParameters().values().stream().mapToLong(Tensor::numel).sum();
    }

    @Test
    void recurrentEstimatesCountWhatTheLayersAllocate() {
        for (boolean bidirectional : new boolean[] {false, true}) {
            for (boolean bias : new boolean[] {true, false}) {
                for (int layers : new int[] {1, 3}) {
                    Recurrent.Options o = new Recurrent.Options(bidirectional, 0);
                    String what = "layers " + layers + " bias " + bias + " bidirectional " + bidirectional;
                    assertEquals(allocated(new Rnn(5, 7, layers, true, bias, o, new Rng(1))), MemoryEstimate.recurrent(5, 7, layers, 1, bias, bidirectional), "rnn " + what);
                    assertEquals(allocated(new Gru(5, 7, layers, true, bias, o, new Rng(1))), MemoryEstimate.recurrent(5, 7, layers, 3, bias, bidirectional), "gru " + what);
                    assertEquals(allocated(new Lstm(5, 7, layers, true, bias, o, new Rng(1))), MemoryEstimate.recurrent(5, 7, layers, 4, bias, bidirectional), "lstm " + what);
                }
            }
        }
    }

    @Test
    void groupedConvolutionEstimatesCountWhatTheLayerAllocates() {
        for (int groups : new int[] {1, 2, 6}) {
            Conv2d conv = new Conv2d(6, 12, 3, 1, 0, true, new Rng(1), Initializer.byName("he_normal"), WeightForm.PLAIN,
                    new Conv2d.Options(1, groups, false));
            assertEquals(allocated(conv), MemoryEstimate.conv2d(6, 12, 3, groups, true), "groups " + groups);
        }
    }
}
