package dev.ravine.doctor.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.data.DataLoader;
import dev.ravine.data.Dataset;
import dev.ravine.nn.Activation;
import dev.ravine.nn.Linear;
import dev.ravine.nn.Module;
import dev.ravine.nn.Sequential;
import dev.ravine.nn.loss.CrossEntropyLoss;
import dev.ravine.optim.Optimizer;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import dev.ravine.train.BatchEvent;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingListener;
import dev.ravine.train.TrainingOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The curvature monitor during real training of a 6-8-3 tanh MLP: each reading's sharpness equals a tight,
 * independent power iteration on the same probe batch, its threshold is the optimizer's (2/lr, (2+2 beta)/lr,
 * Adam's preconditioned one), Adam's preconditioner is sqrt(v_hat) + eps from the optimizer state, and each
 * eigenvalue costs its 10 Lanczos products.
 */
class CurvatureMonitorTest {
    static final PowerIterationOptions TIGHT = new PowerIterationOptions(2000, 1e-9, 5);

    record Run(List<CurvatureReading> readings, Trainer trainer, Tensor inputs, Tensor targets) {}

    static Run train(Function<Module, Optimizer> optimizer, int steps, int every) {
        Rng rng = new Rng(11);
        Module model = new Sequential(new Linear(6, 8, true, rng), new Activation(Activation.Kind.TANH), new Linear(8, 3, true, rng));
        int n = 64;
        float[] x = new float[n * 6];
        int[] y = new int[n];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        for (int i = 0; i < n; i++) y[i] = x[i * 6] + x[i * 6 + 1] > 0 ? 0 : x[i * 6 + 2] > 0 ? 1 : 2;
        Dataset data = Dataset.classification(x, new int[] {6}, y, 3);
        var probe = new DataLoader(data, 32, true, false, 3).epoch(0).iterator().next();
        CurvatureMonitor monitor = new CurvatureMonitor(CurvatureMonitor.Options.every(every), probe.inputs(), probe.targets());
        List<CurvatureReading> readings = new ArrayList<>();
        Trainer trainer = new Trainer(model, new CrossEntropyLoss(), optimizer.apply(model), rng,
                new TrainingOptions(Math.max(1, steps / 4), null, 0, 1));
        trainer.addListener(new TrainingListener() {
            @Override
            public void onBatchEnd(Trainer t, BatchEvent e) {
                if (monitor.isDue(e.step())) readings.add(monitor.read(t, e.step()));
            }
        });
        trainer.fit(new DataLoader(data, 16, true, false, 1), null);
        return new Run(readings, trainer, probe.inputs(), probe.targets());
    }

    static HessianVectorProduct hessianAt(Run run) {
        Module m = run.trainer().model();
        m.eval();
        List<Tensor> params = new ArrayList<>();
        for (String name : run.trainer().optimizer().parameterNames()) params.add(m.namedParameters().get(name));
        return new HessianVectorProduct(() -> run.trainer().loss().compute(m.call(run.inputs()), run.targets()), params);
    }

    @Test
    void sgdSharpnessMatchesATightPowerIterationAndTheThresholdIsTwoOverLr() {
        Run run = train(m -> Optimizers.sgd(m.namedParameters(), 0.1), 20, 4);
        assertEquals(5, run.readings().size());
        CurvatureReading last = run.readings().getLast();
        double exact = HessianTopEigen.largest(hessianAt(run), TIGHT).value();
        assertEquals(exact, last.sharpness(), 1e-3 * Math.abs(exact), () -> "sharpness " + run.readings());
        assertEquals(2 / 0.1, last.threshold(), 1e-9);
        assertTrue(Double.isNaN(last.preconditionedSharpness()) && Double.isNaN(last.preconditionedThreshold()), last::toString);
        assertEquals(10, last.hvps(), "10 Lanczos steps per eigenvalue");
    }

    @Test
    void heavyBallThresholdUsesMomentumAndDampening() {
        Run run = train(m -> Optimizers.sgd(m.namedParameters(), 0.05, 0.9, 0.5, false, 0), 8, 4);
        assertEquals((2 + 2 * 0.9) / (0.05 * 0.5), run.readings().getLast().threshold(), 1e-9);
        assertEquals(StabilityRule.Kind.NONE, StabilityRule.of(Optimizers.sgd(new Sequential(new Linear(2, 2, true, new Rng(1))).namedParameters(),
                0.1, 0.9, 0, true, 0)).kind(), "no threshold is claimed for Nesterov momentum");
    }

    @Test
    void adamPreconditionedSharpnessUsesTheOptimizersSecondMoment() {
        Run run = train(m -> Optimizers.adam(m.namedParameters(), 0.01, 0.9, 0.99, 1e-3, 0, false), 12, 4);
        CurvatureReading last = run.readings().getLast();
        assertTrue(Double.isNaN(last.threshold()), "raw sharpness has no threshold under Adam");
        assertEquals(38 / 0.01, last.preconditionedThreshold(), 1e-6);
        // the preconditioner from the state by hand: v / (1 - beta2^t), t = 12 steps
        Optimizer opt = run.trainer().optimizer();
        StabilityRule rule = StabilityRule.of(opt);
        double[] p = rule.preconditioner(opt);
        float[][] v = opt.state().arrays().get(rule.adamLink() + "exp_avg_sq");
        assertEquals(Math.sqrt(v[0][0] / (1 - Math.pow(0.99, 12))) + 1e-3, p[0], 1e-9);
        double exact = PreconditionedSharpness.compute(hessianAt(run), p, TIGHT).value();
        assertEquals(exact, last.preconditionedSharpness(), 1e-3 * Math.abs(exact));
        assertEquals(20, last.hvps(), "10 products for each of the two eigenvalues");
    }

    @Test
    void noPreconditionerBeforeAdamsFirstStepAndNoRuleForAdagrad() {
        Module m = new Sequential(new Linear(2, 2, true, new Rng(1)));
        Optimizer adam = Optimizers.adam(m.namedParameters(), 1e-3);
        assertNull(StabilityRule.of(adam).preconditioner(adam));
        Optimizer adagrad = Optimizers.adagrad(m.namedParameters(), 0.1, 0, 0, 0, 1e-10);
        assertEquals(StabilityRule.Kind.NONE, StabilityRule.of(adagrad).kind());
        assertTrue(Double.isNaN(StabilityRule.of(adagrad).sharpnessThreshold(0.1)));
        assertNotNull(StabilityRule.of(Optimizers.sgd(m.namedParameters(), 0.1)));
    }
}
