package dev.ravine.nn;

import dev.ravine.autograd.GradMode;
import dev.ravine.kernel.ComputePool;
import dev.ravine.kernel.GruCellKernel;
import dev.ravine.tensor.Tensor;

/**
 * The GRU's gate arithmetic for one time step as one recorded operation: from the two projections and the previous
 * hidden state to h' ({@link Gru}'s formula), where the separate operations would record eleven, each with a tensor
 * of its own forward and backward. When the backward is itself recorded (Hessian-vector products) it is written in
 * tensor operations, so gradients of gradients stay exact.
 */
final class GruCell {
    /** Hidden units per parallel task: a step of a small layer runs on one thread. */
    private static final int UNITS_PER_TASK = 8192;

    private GruCell() {}

    static Tensor step(Tensor inputPart, Tensor hiddenPart, Tensor h) {
        int batch = h.size(0), hidden = h.size(1);
        StepValues ip = StepValues.of(inputPart), hp = StepValues.of(hiddenPart), hv = StepValues.of(h);
        float[] gates = new float[batch * 3 * hidden], next = new float[batch * hidden];
        int rows = Math.max(1, UNITS_PER_TASK / hidden);
        ComputePool.parallelRange(batch, rows, (from, to) -> GruCellKernel.forward(ip.data(), ip.offset(), hp.data(), hp.offset(),
                hv.data(), hv.offset(), gates, next, hidden, from, to));
        return Tensor.fromOp(next, new int[] {batch, hidden}, "gru_cell", new Tensor[] {inputPart, hiddenPart, h}, grad -> {
            if (GradMode.isEnabled()) return recordedBackward(grad, inputPart, hiddenPart, h);
            float[] gradInput = inputPart.requiresGrad() ? new float[batch * 3 * hidden] : null;
            float[] gradHidden = hiddenPart.requiresGrad() ? new float[batch * 3 * hidden] : null;
            float[] gradH = h.requiresGrad() ? new float[batch * hidden] : null;
            float[] g = grad.values();
            ComputePool.parallelRange(batch, rows, (from, to) -> GruCellKernel.backward(gates, hp.data(), hp.offset(), hv.data(),
                    hv.offset(), g, gradInput, gradHidden, gradH, hidden, from, to));
            return new Tensor[] {gradInput == null ? null : Tensor.of(gradInput, batch, 3 * hidden),
                    gradHidden == null ? null : Tensor.of(gradHidden, batch, 3 * hidden), gradH == null ? null : Tensor.of(gradH, batch, hidden)};
        });
    }

    /** The backward as tensor operations of the inputs, recomputing the gates: differentiable again. */
    private static Tensor[] recordedBackward(Tensor grad, Tensor inputPart, Tensor hiddenPart, Tensor h) {
        int hidden = h.size(1);
        Tensor hpN = Recurrent.gate(hiddenPart, 2, hidden);
        Tensor r = Recurrent.gate(inputPart, 0, hidden).add(Recurrent.gate(hiddenPart, 0, hidden)).sigmoid();
        Tensor z = Recurrent.gate(inputPart, 1, hidden).add(Recurrent.gate(hiddenPart, 1, hidden)).sigmoid();
        Tensor n = Recurrent.gate(inputPart, 2, hidden).add(r.mul(hpN)).tanh();
        Tensor toH = grad.mul(z);
        Tensor dz = grad.mul(h.sub(n)).mul(z.mul(z.rsub(1f)));
        Tensor dq = grad.sub(toH).mul(n.square().rsub(1f));
        Tensor dr = dq.mul(hpN).mul(r.mul(r.rsub(1f)));
        return new Tensor[] {inputPart.requiresGrad() ? Tensor.concat(1, dr, dz, dq) : null,
                hiddenPart.requiresGrad() ? Tensor.concat(1, dr, dz, dq.mul(r)) : null, h.requiresGrad() ? toH : null};
    }
}
