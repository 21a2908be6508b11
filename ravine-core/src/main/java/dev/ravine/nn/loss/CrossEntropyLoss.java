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
 * -mean_i log softmax(logits_i)[y_i], from raw logits [n, classes] and class indices [n]. The forward and the plain
 * backward use the fused kernel (one pass: softmax, loss, and gradient (softmax - onehot) / n); a recorded backward
 * (gradients of gradients) differentiates the composite {@link #reference} instead.
 */
public final class CrossEntropyLoss implements Loss {
    @Override
    public Tensor compute(Tensor logits, Tensor target) {
        if (logits.dim() != 2) {
            throw new TensorShapeException("cross_entropy expects logits [batch, classes], got " + Shape.str(logits.shape()));
        }
        int rows = logits.size(0), cols = logits.size(1);
        int[] targets = Loss.classIndices(target);
        if (targets.length != rows) throw new TensorShapeException("got " + targets.length + " targets for a batch of " + rows);
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

    /** The same loss as a composite of differentiable operations. */
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
