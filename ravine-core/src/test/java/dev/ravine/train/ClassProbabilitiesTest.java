package dev.ravine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ravine.data.Dataset;
import dev.ravine.data.GaussianBlobs;
import dev.ravine.nn.Linear;
import dev.ravine.nn.Module;
import dev.ravine.nn.functional.Functional;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassProbabilitiesTest {
    @Test
    void membersGiveTheSoftmaxOfTheirOutputsAndTheEnsembleTheirMean() {
        Dataset data = GaussianBlobs.generate(37, 1);
        List<Module> members = new ArrayList<>();
        List<ClassProbabilities> probabilities = new ArrayList<>();
        for (int seed = 0; seed < 3; seed++) {
            Module m = new Linear(6, 3, true, new Rng(seed));
            members.add(m);
            probabilities.add(ClassProbabilities.of(m, data, 10)); // 37 = 3 full batches and one of 7
        }
        Tensor x = Tensor.of(data.features(), 37, 6);
        for (int k = 0; k < 3; k++) {
            assertArrayEquals(Functional.softmax(members.get(k).call(x)).toArray(), probabilities.get(k).values(), 1e-6f);
        }
        ClassProbabilities ensemble = ClassProbabilities.mean(probabilities);
        for (int i = 0; i < 37 * 3; i++) {
            double mean = (probabilities.get(0).values()[i] + probabilities.get(1).values()[i] + probabilities.get(2).values()[i]) / 3.0;
            assertEquals(mean, ensemble.values()[i], 1e-7);
        }
        int[] labels = data.labels();
        int[] predicted = ensemble.predictions();
        int correct = 0;
        for (int s = 0; s < 37; s++) {
            float[] row = java.util.Arrays.copyOfRange(ensemble.values(), s * 3, s * 3 + 3);
            for (float p : row) assertEquals(true, p <= row[predicted[s]]);
            if (predicted[s] == labels[s]) correct++;
        }
        assertEquals(correct / 37.0, ensemble.accuracy(labels));
        double expectedLoss = new dev.ravine.nn.loss.CrossEntropyLoss().compute(members.get(0).call(x), Tensor.of(toFloats(labels), 37)).item();
        assertEquals(expectedLoss, probabilities.get(0).logLoss(labels), 1e-5, "a member's log loss is its cross-entropy");
    }

    private static float[] toFloats(int[] labels) {
        float[] f = new float[labels.length];
        for (int i = 0; i < labels.length; i++) f[i] = labels[i];
        return f;
    }

    @Test
    void logLossOfHandMadeProbabilities() {
        ClassProbabilities p = new ClassProbabilities(new float[] {0.5f, 0.5f, 0.25f, 0.75f}, 2, 2);
        assertEquals(-(Math.log(0.5) + Math.log(0.75)) / 2, p.logLoss(new int[] {0, 1}), 1e-7);
        assertEquals(Double.POSITIVE_INFINITY, new ClassProbabilities(new float[] {1f, 0f}, 1, 2).logLoss(new int[] {1}));
    }

    @Test
    void membersMustAgreeOnTheShape() {
        ClassProbabilities a = new ClassProbabilities(new float[6], 2, 3);
        ClassProbabilities b = new ClassProbabilities(new float[6], 3, 2);
        assertThrows(IllegalArgumentException.class, () -> ClassProbabilities.mean(List.of(a, b)));
        assertThrows(IllegalArgumentException.class, () -> ClassProbabilities.mean(List.of()));
    }
}
