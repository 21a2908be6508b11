package dev.ravine.nn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ravine.autograd.GradCheck;
import dev.ravine.nn.loss.BceWithLogitsLoss;
import dev.ravine.nn.loss.ClassWeighting;
import dev.ravine.nn.loss.CrossEntropyLoss;
import dev.ravine.nn.loss.HuberLoss;
import dev.ravine.nn.loss.Loss;
import dev.ravine.nn.loss.MseLoss;
import dev.ravine.nn.loss.NllLoss;
import dev.ravine.nn.loss.Reduction;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import dev.ravine.testing.Fixture;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The loss options against PyTorch (fixtures from tools/gen_engine_fixtures.py): cross-entropy's class weights (torch's
 * weighted mean), ignore_index, label_smoothing and reduction; BCE's pos_weight; every loss's sum and none. Each fixture
 * holds torch's keyword arguments, read back here into Ravine's options.
 */
class LossOptionsFixturesTest {
    private static final double TOL = 1e-5;

    @Test void crossEntropyWeight() { check("cross_entropy_weight"); }
    @Test void crossEntropyWeightSum() { check("cross_entropy_weight_sum"); }
    @Test void crossEntropyNone() { check("cross_entropy_none"); }
    @Test void crossEntropyIgnoreIndex() { check("cross_entropy_ignore_index"); }
    @Test void crossEntropyDefaultIgnoreIndexIsMinus100() { check("cross_entropy_default_ignore"); }
    @Test void crossEntropyLabelSmoothing() { check("cross_entropy_smoothing"); }
    @Test void crossEntropySmoothingWithWeightsAndIgnoredRow() { check("cross_entropy_smoothing_weight_ignore"); }
    @Test void crossEntropySmoothingSum() { check("cross_entropy_smoothing_ignore_sum"); }
    @Test void crossEntropySmoothingNone() { check("cross_entropy_smoothing_ignore_none"); }
    @Test void nllWeightAndIgnoredRow() { check("nll_weight_ignore"); }
    @Test void bcePosWeight() { check("bce_with_logits_pos_weight"); }
    @Test void bcePosWeightSum() { check("bce_with_logits_pos_weight_sum"); }
    @Test void bceNone() { check("bce_with_logits_none"); }
    @Test void mseSum() { check("mse_sum"); }
    @Test void mseNone() { check("mse_none"); }
    @Test void huberSum() { check("huber_sum"); }

    /** The loss a fixture's torch keyword arguments describe. */
    static Loss lossOf(Fixture f) {
        String name = f.string("loss");
        Reduction reduction = f.has("reduction") ? Reduction.parse(f.string("reduction")) : Reduction.MEAN;
        float[] weight = f.has("weight") ? floats(f.numbers("weight")) : null;
        if (name.startsWith("cross_entropy") || name.startsWith("nll")) {
            int ignore = f.has("ignore_index") ? f.integer("ignore_index") : ClassWeighting.DEFAULT_IGNORE_INDEX;
            double smoothing = f.has("label_smoothing") ? f.number("label_smoothing") : 0;
            ClassWeighting w = new ClassWeighting(weight, ignore, smoothing, reduction);
            return name.startsWith("nll") ? new NllLoss(w) : new CrossEntropyLoss(w);
        }
        if (name.startsWith("bce")) return new BceWithLogitsLoss(f.has("pos_weight") ? floats(f.numbers("pos_weight")) : null, reduction);
        if (name.startsWith("huber")) return new HuberLoss(f.number("delta"), reduction);
        return new MseLoss(reduction);
    }

    private static float[] floats(double[] d) {
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) out[i] = (float) d[i];
        return out;
    }

    private static void check(String fixture) {
        Fixture f = Fixture.load("losses/" + fixture + ".json");
        Loss loss = lossOf(f);
        Tensor prediction = f.tensor("input").requiresGrad(true);
        Tensor value = loss.compute(prediction, f.tensor("target"));
        f.compare("output", value, TOL);
        // torch's grad_input is d sum(loss) / d input, which for reduction none seeds every element with 1
        value.backward(Tensor.ones(value.shape()));
        f.compare("grad_input", prediction.grad(), TOL);
        if (f.report() != null) fail(f.report());
    }

    @Test
    void optionedLossesHaveFiniteDifferenceGradients() {
        Rng rng = new Rng(14);
        Tensor logits = Tensor.uniform(rng, -2, 2, 6, 4).requiresGrad(true);
        Tensor labels = Tensor.of(new float[] {0, 3, 2, -100, 1, 3}, 6);
        float[] w = {0.5f, 2f, 1f, 3f};
        for (Loss loss : List.<Loss>of(new CrossEntropyLoss(new ClassWeighting(w, -100, 0.2, Reduction.MEAN)),
                new CrossEntropyLoss(new ClassWeighting(null, 3, 0.1, Reduction.SUM)))) {
            Tensor y = Tensor.of(new float[] {0, 3, 2, 1, 1, 3}, 6); // row 1 and 5 ignored by the second
            Tensor targets = ((CrossEntropyLoss) loss).weighting().ignoreIndex() == 3 ? y : labels;
            GradCheck.Result r = GradCheck.check(t -> loss.compute(t.get(0), targets), List.of(logits));
            assertTrue(r.passed(), r.toString());
        }
        Tensor x = Tensor.uniform(rng, -3, 3, 5, 3).requiresGrad(true);
        Tensor t = Tensor.uniform(rng, 0, 1, 5, 3);
        BceWithLogitsLoss bce = new BceWithLogitsLoss(new float[] {2f, 0.5f, 4f}, Reduction.MEAN);
        GradCheck.Result r = GradCheck.check(in -> bce.compute(in.get(0), t), List.of(x));
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void badOptionsAreRefusedWithTheirNames() {
        Tensor logits = Tensor.zeros(2, 3);
        var e = assertThrows(IllegalArgumentException.class,
                () -> new CrossEntropyLoss(new ClassWeighting(new float[] {1, 2}, -100, 0, Reduction.MEAN)).compute(logits, Tensor.of(new float[] {0, 1}, 2)));
        assertTrue(e.getMessage().contains("weight has 2 values but there are 3 classes"), e.getMessage());
        var bad = assertThrows(IllegalArgumentException.class,
                () -> new CrossEntropyLoss(new ClassWeighting(null, -1, 0, Reduction.MEAN)).compute(logits, Tensor.of(new float[] {0, 5}, 2)));
        assertTrue(bad.getMessage().contains("target 5 at row 1") && bad.getMessage().contains("ignore_index -1"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ClassWeighting(null, -100, 1.5, Reduction.MEAN));
        assertThrows(IllegalArgumentException.class, () -> new ClassWeighting(new float[] {-1}, -100, 0, Reduction.MEAN));
    }
}
