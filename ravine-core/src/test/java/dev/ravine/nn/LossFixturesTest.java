package dev.ravine.nn;

import static org.junit.jupiter.api.Assertions.fail;

import dev.ravine.nn.loss.BceWithLogitsLoss;
import dev.ravine.nn.loss.CrossEntropyLoss;
import dev.ravine.nn.loss.HuberLoss;
import dev.ravine.nn.loss.Loss;
import dev.ravine.nn.loss.MseLoss;
import dev.ravine.nn.loss.NllLoss;
import dev.ravine.tensor.Tensor;
import dev.ravine.testing.Fixture;
import org.junit.jupiter.api.Test;

/** Every loss against PyTorch (fixtures from tools/gen_fixtures.py): the value and its gradient w.r.t. the prediction. */
class LossFixturesTest {
    private static final double TOL = 1e-5;

    @Test void crossEntropy() { check("cross_entropy", new CrossEntropyLoss()); }
    @Test void crossEntropyExtremeLogits() { check("cross_entropy_extreme", new CrossEntropyLoss()); }
    @Test void nll() { check("nll", new NllLoss()); }
    @Test void mse() { check("mse", new MseLoss()); }
    @Test void bceWithLogits() { check("bce_with_logits", new BceWithLogitsLoss()); }
    @Test void bceWithLogitsExtremeLogits() { check("bce_with_logits_extreme", new BceWithLogitsLoss()); }

    @Test void huber() {
        Fixture f = Fixture.load("losses/huber.json");
        check("huber", new HuberLoss(f.number("delta")));
    }

    @Test void byNameBuildsTheSameLosses() {
        for (String name : Loss.NAMES) check(name, Loss.byName(name));
    }

    private static void check(String fixture, Loss loss) {
        Fixture f = Fixture.load("losses/" + fixture + ".json");
        Tensor prediction = f.tensor("input").requiresGrad(true);
        Tensor value = loss.compute(prediction, f.tensor("target"));
        f.compare("output", value, TOL);
        value.backward();
        f.compare("grad_input", prediction.grad(), TOL);
        if (f.report() != null) fail(f.report());
    }
}
