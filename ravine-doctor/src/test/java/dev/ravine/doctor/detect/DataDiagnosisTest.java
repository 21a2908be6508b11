package dev.ravine.doctor.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.data.DataLoader;
import dev.ravine.data.Dataset;
import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Severity;
import dev.ravine.tensor.Rng;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataDiagnosisTest {
    /** n samples, 3 features of unit scale, labels cycling through 3 classes. */
    private static float[] features(int n, long seed) {
        Rng rng = new Rng(seed);
        float[] x = new float[n * 3];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        return x;
    }

    private static int[] cycling(int n) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = i % 3;
        return y;
    }

    private static List<String> ids(List<Finding> fs) {
        return fs.stream().map(Finding::id).toList();
    }

    @Test
    void cleanShuffledBalancedDataHasNoFinding() {
        Dataset d = Dataset.classification(features(300, 1), new int[] {3}, cycling(300), 3);
        assertEquals(List.of(), DataDiagnosis.defaults().examine(d, new DataLoader(d, 16, true, false, 1)));
    }

    @Test
    void featuresOnDifferentScalesAndConstantOnes() {
        float[] x = features(300, 2);
        for (int i = 0; i < 300; i++) {
            x[i * 3] *= 5000;
            x[i * 3 + 2] = 7;
        }
        Dataset d = Dataset.classification(x, new int[] {3}, cycling(300), 3);
        List<Finding> fs = DataDiagnosis.defaults().examine(d, null);
        assertEquals(List.of("data_scale"), ids(fs));
        Finding f = fs.getFirst();
        assertTrue(f.evidence().get(0).contains("(feature 0)") && f.evidence().get(0).contains("(feature 1)"), f.evidence().toString());
        assertTrue(f.evidence().get(1).contains("1 constant feature") && f.evidence().get(1).contains("[2]"), f.evidence().toString());
        assertEquals("data.normalize: standardize", f.remedies().getFirst().change());

        float[] y = features(300, 2);
        for (int i = 0; i < 300; i++) y[i * 3 + 2] = 7;
        Dataset constant = Dataset.classification(y, new int[] {3}, cycling(300), 3);
        assertEquals(List.of(), DataDiagnosis.defaults().examine(constant, null), "constant features alone are not reported by default");
        assertEquals(List.of("data_constant"), ids(new DataDiagnosis(1e3, 10, 0.5, true).examine(constant, null)));
    }

    @Test
    void aFlatPixelTableWithRarelyLitBorderPixelsIsNotAScaleProblem() {
        // fresh3-dead-relu-adamax-big-step: digits14 scaled to [0, 1] and flattened, stds from 2.48e-4 to 0.39 (1572x). Here a
        // border pixel lit to 0.008 in 1 sample of 1000 (std 2.5e-4) beside pixels spreading over [0, 1] (std 0.5): the
        // stds differ 2000x, the ranges 125x
        int n = 1000;
        Rng rng = new Rng(5);
        float[] x = new float[n * 3];
        for (int s = 0; s < n; s++) {
            x[s * 3] = s % 2 == 0 ? 1f : 0f;
            x[s * 3 + 1] = s == 7 ? 0.008f : 0f;
            x[s * 3 + 2] = (float) rng.nextDouble();
        }
        float[] tiny = x.clone();
        tiny[7 * 3 + 1] = 8e-6f; // as sparse, in a unit 1000x smaller: its range is 1000x smaller too
        assertEquals(List.of(), ids(DataDiagnosis.defaults().examine(Dataset.classification(x, new int[] {3}, cycling(n), 3), null)),
                "a rarely lit pixel shares the other pixels' range");
        assertEquals(List.of("data_scale"), ids(DataDiagnosis.defaults().examine(Dataset.classification(tiny, new int[] {3}, cycling(n), 3), null)),
                "a unit problem");
    }

    @Test
    void aRegressionSortedByItsTargetIsUnshuffledAShuffledOneIsNot() {
        // fresh2-unshuffled-regression-sorted: rows sorted by y, shuffle off, batches of 16
        int n = 1000;
        float[] x = features(n, 3), y = new float[n];
        Rng rng = new Rng(4);
        for (int i = 0; i < n; i++) y[i] = (float) rng.nextGaussian();
        float[] sorted = y.clone();
        java.util.Arrays.sort(sorted);
        Dataset random = Dataset.regression(x, new int[] {3}, y, new int[] {1});
        Dataset bySorted = Dataset.regression(x, new int[] {3}, sorted, new int[] {1});
        assertEquals(List.of(), ids(DataDiagnosis.defaults().examine(random, new DataLoader(random, 16, false, false, 1))), "rows in random order");
        assertEquals(List.of(), ids(DataDiagnosis.defaults().examine(bySorted, new DataLoader(bySorted, 16, true, false, 1))), "sorted, but shuffled");
        Finding f = DataDiagnosis.defaults().examine(bySorted, new DataLoader(bySorted, 16, false, false, 1)).getFirst();
        assertEquals("data_unshuffled", f.id());
        assertEquals("data.shuffle: true", f.remedies().getFirst().change());
    }

    @Test
    void rawPixelsAreFlaggedThoughEveryPixelSharesOneScale() {
        int n = 100, plane = 16;
        float[] raw = new float[n * plane];
        java.util.Random rng = new java.util.Random(3);
        for (int i = 0; i < raw.length; i++) raw[i] = rng.nextInt(256);
        Finding f = DataDiagnosis.defaults().examine(Dataset.classification(raw, new int[] {1, 4, 4}, cycling(n), 3), null).getFirst();
        assertEquals("data_scale", f.id());
        assertTrue(f.evidence().getFirst().contains("span 0 to 255"), f.evidence().toString());
        assertEquals("data.normalize: standardize", f.remedies().getFirst().change());
        float[] scaled = raw.clone();
        for (int i = 0; i < scaled.length; i++) scaled[i] /= 255f;
        assertEquals(List.of(), DataDiagnosis.defaults().examine(Dataset.classification(scaled, new int[] {1, 4, 4}, cycling(n), 3), null));
    }

    /** An embedding's inputs are token ids 0..vocab-1: their range is no scale problem and normalizing them is refused. */
    @Test
    void tokenIdsForAnEmbeddingAreNotADataScaleProblem() {
        int n = 120, length = 16;
        float[] ids = new float[n * length];
        java.util.Random rng = new java.util.Random(4);
        for (int i = 0; i < ids.length; i++) ids[i] = rng.nextInt(24);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = i < 110 ? 0 : i % 2 + 1; // 110 / 5 / 5: still an imbalance to report
        Dataset tokens = Dataset.classification(ids, new int[] {length}, y, 3);
        assertTrue(ids(DataDiagnosis.defaults().examine(tokens, null)).contains("data_scale"), "as plain features, ids 0..23 are a raw range");
        assertEquals(List.of("data_imbalance"), ids(DataDiagnosis.defaults().examine(tokens, null, true)));
    }

    @Test
    void nanFeaturesAreBlocking() {
        float[] x = features(50, 3);
        x[3 * 7 + 1] = Float.NaN;
        Finding f = DataDiagnosis.defaults().examine(Dataset.classification(x, new int[] {3}, cycling(50), 3), null).getFirst();
        assertEquals("data_nan", f.id());
        assertEquals(Severity.BLOCKING, f.severity());
        assertTrue(f.evidence().getFirst().contains("sample 7, feature 1"), f.evidence().toString());
    }

    @Test
    void heavyImbalanceAndSortedBatches() {
        int n = 300;
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = i < 280 ? 0 : i < 295 ? 1 : 2; // 280 / 15 / 5
        Dataset imbalanced = Dataset.classification(features(n, 4), new int[] {3}, y, 3);
        List<Finding> fs = DataDiagnosis.defaults().examine(imbalanced, new DataLoader(imbalanced, 16, true, false, 1));
        assertEquals(List.of("data_imbalance"), ids(fs), "a shuffled imbalanced set is not 'unshuffled'");
        assertTrue(fs.getFirst().evidence().getFirst().contains("56x"), fs.getFirst().evidence().toString());

        int[] sorted = new int[n];
        for (int i = 0; i < n; i++) sorted[i] = i / 100;
        Dataset d = Dataset.classification(features(n, 5), new int[] {3}, sorted, 3);
        Finding f = DataDiagnosis.defaults().examine(d, new DataLoader(d, 10, false, false, 1)).getFirst();
        assertEquals("data_unshuffled", f.id());
        assertEquals("data.shuffle: true", f.remedies().getFirst().change());
        assertEquals(List.of(), DataDiagnosis.defaults().examine(d, new DataLoader(d, 10, true, false, 1)));
    }

    @Test
    void imagePixelsWithNaturallyDifferentSpreadsAreNotAScaleProblem() {
        // one channel, 4x4: border pixels almost constant, centre pixels varying (like MNIST after standardization)
        dev.ravine.tensor.Rng rng = new dev.ravine.tensor.Rng(1);
        int n = 200;
        float[] x = new float[n * 16];
        int[] y = new int[n];
        for (int s = 0; s < n; s++) {
            y[s] = s % 2;
            for (int p = 0; p < 16; p++) {
                boolean border = p < 4 || p >= 12 || p % 4 == 0 || p % 4 == 3;
                x[s * 16 + p] = (float) (border ? 1e-5 * rng.nextGaussian() : rng.nextGaussian());
            }
        }
        dev.ravine.data.Dataset images = dev.ravine.data.Dataset.classification(x, new int[] {1, 4, 4}, y, 2);
        org.junit.jupiter.api.Assertions.assertTrue(DataDiagnosis.defaults().examine(images, null).stream().noneMatch(f -> f.id().equals("data_scale")));
    }

    @Test
    void channelsOnDifferentScalesAreReported() {
        dev.ravine.tensor.Rng rng = new dev.ravine.tensor.Rng(2);
        int n = 100;
        float[] x = new float[n * 2 * 4];
        int[] y = new int[n];
        for (int s = 0; s < n; s++) {
            y[s] = s % 2;
            for (int p = 0; p < 4; p++) {
                x[(s * 2) * 4 + p] = (float) rng.nextGaussian();
                x[(s * 2 + 1) * 4 + p] = (float) (1e5 * rng.nextGaussian());
            }
        }
        dev.ravine.data.Dataset images = dev.ravine.data.Dataset.classification(x, new int[] {2, 2, 2}, y, 2);
        org.junit.jupiter.api.Assertions.assertTrue(DataDiagnosis.defaults().examine(images, null).stream().anyMatch(f -> f.id().equals("data_scale")));
    }

    @Test
    void standardizedInputsAreRecognizedSoThatNoRemedyAsksForThem() {
        float[] x = features(2000, 3); // N(0, 1) per feature: means within 0.1 of 0, spreads within 0.1 of 1
        assertTrue(DataDiagnosis.standardized(Dataset.classification(x, new int[] {3}, cycling(2000), 3)));
        float[] raw = x.clone();
        for (int i = 0; i < raw.length; i += 3) raw[i] = 100 + 20 * raw[i];
        assertTrue(!DataDiagnosis.standardized(Dataset.classification(raw, new int[] {3}, cycling(2000), 3)));
        dev.ravine.doctor.finding.RunFacts facts = new dev.ravine.doctor.finding.RunFacts(0.1, "sgd", 3, List.of("linear"));
        assertTrue(dev.ravine.doctor.finding.Remedies.standardize(facts, "").isPresent());
        assertTrue(dev.ravine.doctor.finding.Remedies.standardize(facts.withInputsStandardized(true), "").isEmpty());
    }
}
