package dev.ravine.nn.loss;

import dev.ravine.autograd.Autograd;
import dev.ravine.autograd.GradMode;
import dev.ravine.kernel.CrossEntropyKernel;
import dev.ravine.nn.functional.Functional;
import dev.ravine.tensor.Shape;
import dev.ravine.tensor.Tensor;
import dev.ravine.tensor.TensorShapeException;
import java.util.List;

/**
 * -mean_i log softmax(logits_i)[y_i], from raw logits [n, classes] and class indices [n], with torch's options
 * ({@link ClassWeighting}: class weights, ignore_index, label_smoothing, reduction). With torch's defaults the forward
 * and the plain backward use the fused kernel (one pass: softmax, loss, and gradient (softmax - onehot) / n); a
 * recorded backward (gradients of gradients) differentiates the composite {@link #reference} instead, and any other
 * option is computed as that composite throughout.
 */
public final class CrossEntropyLoss implements Loss {
    private final ClassWeighting weighting;

    public CrossEntropyLoss() {
        this(ClassWeighting.NONE);
    }

    public CrossEntropyLoss(ClassWeighting weighting) {
        this.weighting = weighting;
    }

    public ClassWeighting weighting() {
        return weighting;
    }

    @Override
    public Tensor compute(Tensor logits, Tensor target) {
        if (logits.dim() != 2) {
            throw new TensorShapeException("cross_entropy expects logits [batch, classes], got " + Shape.str(logits.shape()));
        }
        int rows = logits.size(0), cols = logits.size(1);
        int[] targets = Loss.classIndices(target);
        if (targets.length != rows) throw new TensorShapeException("got " + targets.length + " targets for a batch of " + rows);
        if (!weighting.isDefault(targets)) {
            return weighting.negativeLogLikelihood(Functional.logSoftmax(logits), targets, weighting.labelSmoothing());
        }
        float[] probs = new float[rows * cols];
        double total = CrossEntropyKernel.forward(logits.values(), 0, rows, cols, targets, 0, new float[rows], 0, probs, 0);
        float[] loss = {(float) (total / rows)};
        return Tensor.fromOp(loss, new int[0], "cross_entropy", new Tensor[] {logits}, g -> {
            if (GradMode.isEnabled()) return new Tensor[] {Autograd.grad(reference(logits, targets), List.of(logits), g, true).get(0)};
            float[] grad = new float[rows * cols];
            CrossEntropyKernel.backward(probs, 0, rows, cols, targets, 0, g.item() / rows, grad, 0);
            return new Tensor[] {Tensor.of(grad, rows, cols)};
        });
    }

    /** The same loss (torch's defaults) as a composite of differentiable operations. */
    public static Tensor reference(Tensor logits, int[] targets) {
        return Functional.pickPerRow(Functional.logSoftmax(logits), targets).mean().neg();
    }

    @Override
    public String name() {
        return "cross_entropy";
    }

    @Override
    public boolean isClassification() {
        return true;
    }
}
