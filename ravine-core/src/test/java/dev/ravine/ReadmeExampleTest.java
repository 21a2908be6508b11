package dev.ravine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.autograd.Autograd;
import dev.ravine.data.Batch;
import dev.ravine.data.DataLoader;
import dev.ravine.data.Dataset;
import dev.ravine.data.IdxReader;
import dev.ravine.data.Normalizer;
import dev.ravine.nn.Activation;
import dev.ravine.nn.Flatten;
import dev.ravine.nn.Linear;
import dev.ravine.nn.Module;
import dev.ravine.nn.Sequential;
import dev.ravine.nn.loss.CrossEntropyLoss;
import dev.ravine.optim.Optimizer;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingOptions;
import dev.ravine.train.TrainingResult;
import dev.ravine.train.TrainingStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's Java example, verbatim but for the assertions and the vector v: it must keep compiling and working. */
class ReadmeExampleTest {
    @Test
    void readmeExampleTrainsAndComputesAHessianVectorProduct() {
        Rng rng = new Rng(7);                                        // the run's one random generator
        Dataset raw = IdxReader.read(Path.of("../data/mnist-10k/train"));
        Dataset train = Normalizer.fit(Normalizer.Kind.SCALE01, raw).apply(raw);
        Module model = new Sequential(new Flatten(), new Linear(784, 128, true, rng), Activation.relu(), new Linear(128, 10, true, rng));
        Optimizer adam = Optimizers.adam(model.namedParameters(), 1e-3);
        Trainer trainer = new Trainer(model, new CrossEntropyLoss(), adam, rng, TrainingOptions.epochs(3));
        TrainingResult result = trainer.fit(new DataLoader(train, 128, true, false, 7), null);
        assertEquals(TrainingStatus.COMPLETED, result.status());
        assertTrue(result.trainLoss() < 0.5, "3 epochs on 8,000 digits: training loss " + result.trainLoss());

        List<Tensor> v = new ArrayList<>();
        for (Tensor p : model.parameters()) v.add(Tensor.normal(rng, 0, 1, p.shape()));
        // An exact Hessian-vector product: grad(dot(grad(loss, params, createGraph), v), params)
        Batch batch = new DataLoader(train, 256, false, false, 7).epoch(0).iterator().next();
        Tensor loss = new CrossEntropyLoss().compute(model.call(batch.inputs()), batch.targets());
        List<Tensor> params = model.parameters();
        List<Tensor> g = Autograd.grad(loss, params, null, true);
        Tensor gv = null;                                            // sum over parameters of <g_i, v_i>
        for (int i = 0; i < params.size(); i++) {
            Tensor term = g.get(i).mul(v.get(i)).sum();
            gv = gv == null ? term : gv.add(term);
        }
        List<Tensor> hv = Autograd.grad(gv, params, null, false);
        // <v, Hv> is a curvature along v; it is finite and Hv has every parameter's shape.
        double vHv = 0;
        for (int i = 0; i < params.size(); i++) {
            assertEquals(java.util.Arrays.toString(params.get(i).shape()), java.util.Arrays.toString(hv.get(i).shape()));
            vHv += v.get(i).mul(hv.get(i)).sum().item();
        }
        assertTrue(Double.isFinite(vHv));
    }
}
