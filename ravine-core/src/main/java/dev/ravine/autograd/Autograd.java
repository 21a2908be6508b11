package dev.ravine.autograd;

import dev.ravine.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
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
        try (var scope = GradMode.noGrad()) {
            for (Map.Entry<Tensor, Tensor> e : leafGrads.entrySet()) e.getKey().accumulateGrad(e.getValue());
        }
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
        grads.put(output, seed);
        boolean checked = FiniteCheck.enterBackward();
        try (var scope = GradMode.set(createGraph)) {
            for (Tensor t : order) {
                Tensor g = grads.remove(t);
                if (g == null) continue;
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
                    Tensor sum = prev == null ? gi : prev.add(gi);
                    if (checked && prev != null) FiniteCheck.afterGradientSum(in, prev, gi, sum);
                    grads.put(in, sum);
                }
            }
        } finally {
            if (checked) FiniteCheck.exitBackward();
        }
        return kept;
    }

    /** Tensors reachable from {@code root}, each after every tensor that depends on it. */
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
