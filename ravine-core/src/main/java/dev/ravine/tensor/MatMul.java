package dev.ravine.tensor;

import dev.ravine.kernel.Gemm;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Matrix products over the last two axes with broadcast batch axes. Transposed views are handed to the GEMM kernel
 * as transposed operands, so the backward products (g @ B^T, A^T @ g) never copy.
 */
final class MatMul {
    private MatMul() {}

    static Tensor matmul(Tensor a, Tensor b) {
        if (a.dim() < 2 || b.dim() < 2) {
            throw new TensorShapeException("matmul needs operands with at least 2 axes, got " + Shape.str(a.shape) + " @ " + Shape.str(b.shape)
                    + " (reshape a vector to [1, n] or [n, 1])");
        }
        int k = a.shape[a.dim() - 1];
        if (b.shape[b.dim() - 2] != k) {
            throw new TensorShapeException("matmul " + Shape.str(a.shape) + " @ " + Shape.str(b.shape) + ": inner sizes " + k + " and "
                    + b.shape[b.dim() - 2] + " differ");
        }
        if (b.dim() == 2 && a.dim() > 2) {
            // [..., m, k] @ [k, n] is one big 2-D product: fold the batch into the rows.
            int[] outShape = a.shape.clone();
            outShape[outShape.length - 1] = b.shape[1];
            return matmul2d(a.reshape(-1, k), b).reshape(outShape);
        }
        if (a.dim() == 2 && b.dim() == 2) return matmul2d(a, b);
        return batched(a, b);
    }

    private static Tensor matmul2d(Tensor a, Tensor b) {
        int m = a.shape[0], k = a.shape[1], n = b.shape[1];
        Operand pa = Operand.of(a), pb = Operand.of(b);
        float[] out = new float[m * n];
        Gemm.gemm(pa.trans, pb.trans, m, n, k, 1f, pa.data, pa.offset, pa.ld, pb.data, pb.offset, pb.ld, 0f, out, 0, n);
        Tensor result = Tensor.of(out, m, n);
        boolean aTransposed = pa.trans && pa.data == a.data, bTransposed = pb.trans && pb.data == b.data;
        result.recordOp("matmul", new Tensor[] {a, b}, g -> new Tensor[] {
                a.requiresGrad() ? inLayout(aTransposed, () -> g.matmul(b.transpose(0, 1)), () -> b.matmul(g.transpose(0, 1))) : null,
                b.requiresGrad() ? inLayout(bTransposed, () -> a.transpose(0, 1).matmul(g), () -> g.transpose(0, 1).matmul(a)) : null});
        return result;
    }

    /**
     * An operand's gradient in the operand's own memory layout: for one stored transposed (a layer's W^T) the product
     * is computed transposed and handed back as a transposed view, so the gradient that reaches the stored W is dense,
     * not a strided transpose to gather element by element (15% of the MLP's step when it was). The same products,
     * summed in the same order: the same bits.
     */
    private static Tensor inLayout(boolean transposed, Supplier<Tensor> plain, Supplier<Tensor> transposedProduct) {
        return transposed ? transposedProduct.get().transpose(0, 1) : plain.get();
    }

    private static Tensor batched(Tensor a, Tensor b) {
        int m = a.shape[a.dim() - 2], k = a.shape[a.dim() - 1], n = b.shape[b.dim() - 1];
        int[] batchShape = Shape.broadcast(Arrays.copyOf(a.shape, a.dim() - 2), Arrays.copyOf(b.shape, b.dim() - 2));
        int batch = Shape.numel(batchShape);
        Tensor a3 = as3d(a, batchShape, m, k), b3 = as3d(b, batchShape, k, n);
        Operand pa = Operand.of3d(a3), pb = Operand.of3d(b3);
        float[] out = new float[batch * m * n];
        Gemm.gemmBatched(batch, pa.trans, pb.trans, m, n, k, 1f, pa.data, pa.offset, pa.ld, pa.batchStride,
                pb.data, pb.offset, pb.ld, pb.batchStride, 0f, out, 0, n, m * n);
        int[] outShape = Arrays.copyOf(batchShape, batchShape.length + 2);
        outShape[batchShape.length] = m;
        outShape[batchShape.length + 1] = n;
        Tensor result = Tensor.of(out, outShape);
        result.recordOp("bmm", new Tensor[] {a, b}, g -> new Tensor[] {
                a.requiresGrad() ? g.matmul(b.transpose(-1, -2)).sumTo(a.shape) : null,
                b.requiresGrad() ? a.transpose(-1, -2).matmul(g).sumTo(b.shape) : null});
        return result;
    }

    /** A view [batch, rows, cols] of x broadcast to batchShape; broadcast batch axes keep stride 0 when possible. */
    private static Tensor as3d(Tensor x, int[] batchShape, int rows, int cols) {
        int[] full = Arrays.copyOf(batchShape, batchShape.length + 2);
        full[batchShape.length] = rows;
        full[batchShape.length + 1] = cols;
        Tensor e = x.detach().expand(full);
        if (batchShape.length == 1) return e;
        int batch = Shape.numel(batchShape);
        // Several batch axes fold into one when they are laid out uniformly; otherwise copy.
        Tensor dense = e.isContiguous() ? e : Tensor.of(e.toArray(), full);
        return new Tensor(dense.data, dense.offset, new int[] {batch, rows, cols},
                new int[] {rows * cols, dense.strides[full.length - 2], dense.strides[full.length - 1]});
    }

    /** How a strided matrix is passed to GEMM: storage, offset, whether it is stored transposed, leading dimension. */
    private record Operand(float[] data, int offset, boolean trans, int ld, int batchStride) {
        static Operand of(Tensor t) {
            return fromStrides(t, t.shape[0], t.shape[1], t.strides[0], t.strides[1], 0);
        }

        static Operand of3d(Tensor t) {
            return fromStrides(t, t.shape[1], t.shape[2], t.strides[1], t.strides[2], t.shape[0] == 1 ? 0 : t.strides[0]);
        }

        private static Operand fromStrides(Tensor t, int rows, int cols, int rowStride, int colStride, int batchStride) {
            if ((colStride == 1 || cols == 1) && (rowStride >= cols || rows == 1)) {
                return new Operand(t.data, t.offset, false, Math.max(rows == 1 ? cols : rowStride, Math.max(cols, 1)), batchStride);
            }
            if ((rowStride == 1 || rows == 1) && (colStride >= rows || cols == 1)) {
                return new Operand(t.data, t.offset, true, Math.max(cols == 1 ? rows : colStride, Math.max(rows, 1)), batchStride);
            }
            float[] dense = t.toArray();
            int perBatch = rows * cols;
            return new Operand(dense, 0, false, Math.max(cols, 1), t.dim() == 3 && t.shape[0] > 1 ? perBatch : 0);
        }
    }
}
