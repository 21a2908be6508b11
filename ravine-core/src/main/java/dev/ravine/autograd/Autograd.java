package dev.ravine.autograd;

import dev.ravine.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode differentiation over the tape. The graph is walked iteratively (deep networks would overflow the
 * stack with a recursive walk), in reverse topological order, and each node's gradient is released as soon as it
 * has been propagated.
 */
public final class Autograd {
    private Autograd() {}

    /**
     * Gradients of {@code output} with respect to {@code inputs}, without touching any {@code .grad} field.
     *
     * @param gradOutput the seed (same shape as output); null means ones, which requires a scalar output
     * @param createGraph record the backward pass itself, so the returned gradients can be differentiated again
     * @return one gradient per input; an input the output does not depend on gets zeros
     */
    public static List<Tensor> grad(Tensor output, List<Tensor> inputs, Tensor gradOutput, boolean createGraph) {
        Map<Tensor, Tensor> wanted = new IdentityHashMap<>();
        for (Tensor t : inputs) wanted.put(t, null);
        Map<Tensor, Tensor> grads = propagate(output, gradOutput, createGraph, wanted.keySet());
        List<Tensor> result = new ArrayList<>(inputs.size());
        for (Tensor t : inputs) {
            Tensor g = grads.get(t);
            result.add(g != null ? g : Tensor.zeros(t.shape()));
        }
        return result;
    }

    /**
     * Accumulates d(output)/d(leaf) into the {@code grad} of every leaf that requires grad, and of every computed
     * tensor marked with {@link Tensor#retainGrad()} (the doctor reads gradients of layer outputs this way).
     */
    public static void backward(Tensor output, Tensor gradOutput) {
        Map<Tensor, Tensor> leafGrads = propagate(output, gradOutput, false, null);
        Set<float[]> notOwn = notOwnStorage(leafGrads, gradOutput);
        try (var scope = GradMode.noGrad()) {
            for (Map.Entry<Tensor, Tensor> e : leafGrads.entrySet()) {
                Tensor t = e.getKey(), g = e.getValue();
                if (notOwn.contains(g.storage())) t.accumulateGrad(g);
                else t.accumulateOwnGrad(g);
            }
        }
    }

    /**
     * The storage of gradients that a tensor must copy rather than take ({@link Tensor#accumulateOwnGrad}): the caller's
     * gradOutput (a view of it may come back), storage that two of the gradients share (an addition hands its gradient
     * to both operands), and the values of the tensors being given gradients.
     */
    private static Set<float[]> notOwnStorage(Map<Tensor, Tensor> grads, Tensor gradOutput) {
        Set<float[]> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<float[]> notOwn = Collections.newSetFromMap(new IdentityHashMap<>());
        if (gradOutput != null) notOwn.add(gradOutput.storage());
        for (Map.Entry<Tensor, Tensor> e : grads.entrySet()) {
            notOwn.add(e.getKey().storage());
            if (!seen.add(e.getValue().storage())) notOwn.add(e.getValue().storage());
        }
        return notOwn;
    }

    /**
     * Runs the backward pass and returns the gradients of the requested tensors, or of all leaves when
     * {@code keep} is null.
     */
    private static Map<Tensor, Tensor> propagate(Tensor output, Tensor gradOutput, boolean createGraph, Set<Tensor> keep) {
        if (!output.requiresGrad()) {
            throw new IllegalStateException("the output does not require grad: no input that requires grad reached it"
                    + " (was it computed inside noGrad, or from detached tensors?)");
        }
        Tensor seed = gradOutput;
        if (seed == null) {
            if (output.numel() != 1) {
                throw new IllegalArgumentException("grad can be implicitly created only for a scalar output; output has shape "
                        + java.util.Arrays.toString(output.shape()) + ": pass a gradOutput of that shape");
            }
            seed = Tensor.ones(output.shape());
        }
        List<Tensor> order = topologicalOrder(output);
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        Map<Tensor, Tensor> kept = new IdentityHashMap<>();
        // Sums this pass allocated and nothing else has seen yet: a further contribution is added into them in place.
        Set<Tensor> ownSums = Collections.newSetFromMap(new IdentityHashMap<>());
        grads.put(output, seed);
        boolean checked = FiniteCheck.enterBackward();
        try (var scope = GradMode.set(createGraph)) {
            for (Tensor t : order) {
                Tensor g = grads.remove(t);
                if (g == null) continue;
                ownSums.remove(g); // handed to the backward, which may pass it on as another input's gradient
                boolean isKept = keep == null ? t.gradFn() == null || t.retainsGrad() : keep.contains(t);
                if (isKept) kept.put(t, g);
                Node node = t.gradFn();
                if (node == null) continue;
                Tensor[] inputGrads = node.backward().apply(g);
                if (checked) FiniteCheck.afterBackward(node, g, inputGrads);
                Tensor[] inputs = node.inputs();
                for (int i = 0; i < inputs.length; i++) {
                    Tensor in = inputs[i];
                    if (in == null || !in.requiresGrad() || inputGrads[i] == null) continue;
                    Tensor gi = inputGrads[i];
                    Tensor prev = grads.get(in);
                    if (prev != null && !createGraph && !checked && ownSums.contains(prev) && addInto(prev, gi)) continue;
                    Tensor sum = prev == null ? gi : prev.add(gi);
                    if (checked && prev != null) FiniteCheck.afterGradientSum(in, prev, gi, sum);
                    if (prev != null) ownSums.add(sum);
                    grads.put(in, sum);
                }
            }
        } finally {
            if (checked) FiniteCheck.exitBackward();
        }
        return kept;
    }

    /** Tensors reachable from {@code root}, each after every tensor that depends on it. */
    /**
     * sum += g element by element, where both have the same shape and sum is dense: the same float additions as
     * sum.add(g), without a new tensor. A weight used at every step of a sequence (an RNN's) gets one contribution a
     * step; summed into fresh tensors that was one weight-sized allocation per step.
     */
    private static boolean addInto(Tensor sum, Tensor g) {
        if (!sum.isDense() || !Arrays.equals(sum.shape(), g.shape())) return false;
        float[] dst = sum.storage();
        if (g.dim() == 2 && !g.isDense()) {
            addStrided(dst, g);
            return true;
        }
        float[] src = g.values();
        for (int i = 0; i < dst.length; i++) dst[i] += src[i];
        return true;
    }

    /**
     * dst (dense, g's shape) += g read through its strides: a weight's gradient often arrives as the transposed view
     * of the product that computed it, which {@link Tensor#values()} would first copy.
     */
    private static void addStrided(float[] dst, Tensor g) {
        int rows = g.size(0), cols = g.size(1);
        int[] strides = g.strides();
        float[] src = g.storage();
        for (int i = 0; i < rows; i++) {
            int from = g.offset() + i * strides[0], to = i * cols;
            for (int j = 0; j < cols; j++) dst[to + j] += src[from + j * strides[1]];
        }
    }

    static List<Tensor> topologicalOrder(Tensor root) {
        List<Tensor> postOrder = new ArrayList<>();
        Set<Tensor> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Tensor> stack = new ArrayDeque<>();
        ArrayDeque<Integer> childIndex = new ArrayDeque<>();
        stack.push(root);
        childIndex.push(0);
        visited.add(root);
        while (!stack.isEmpty()) {
            Tensor t = stack.peek();
            int i = childIndex.pop();
            Node node = t.gradFn();
            Tensor[] inputs = node == null ? new Tensor[0] : node.inputs();
            if (i < inputs.length) {
                childIndex.push(i + 1);
                Tensor child = inputs[i];
                if (child != null && child.requiresGrad() && visited.add(child)) {
                    stack.push(child);
                    childIndex.push(0);
                }
            } else {
                stack.pop();
                postOrder.add(t);
            }
        }
        Collections.reverse(postOrder);
        return postOrder;
    }
}
