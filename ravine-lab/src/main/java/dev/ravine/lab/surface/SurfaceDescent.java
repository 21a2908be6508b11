package dev.ravine.lab.surface;

import dev.ravine.autograd.Autograd;
import dev.ravine.optim.Optimizer;
import dev.ravine.optim.OptimizerAssembly;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one of Ravine's optimizers on a {@link Surface}: the two coordinates are two 1-element parameter tensors, the
 * loss is the surface's tensor expression, autograd takes its gradient and the optimizer steps, as in any training
 * run (nothing here re-implements an update rule).
 */
public final class SurfaceDescent {
    private SurfaceDescent() {}

    /** {@code steps} steps of the named optimizer with {@code options} (torch's names, as a config's) from the surface's start. */
    public static Trajectory run(Surface surface, String label, String optimizer, Map<String, ?> options, int steps) {
        return run(surface, label, OptimizerAssembly.of(optimizer, options), surface.start(), steps);
    }

    /** {@code steps} steps of an assembled optimizer (a schedule, say) from {@code start}. */
    public static Trajectory run(Surface surface, String label, OptimizerAssembly assembly, double[] start, int steps) {
        return run(surface, label, assembly, start, steps, Double.NEGATIVE_INFINITY);
    }

    /** As {@link #run(Surface, String, OptimizerAssembly, double[], int)}, stopping early at the first loss at or below {@code stopAt}. */
    public static Trajectory run(Surface surface, String label, OptimizerAssembly assembly, double[] start, int steps, double stopAt) {
        return run(surface, label, assembly, start, steps, stopAt, null, 0);
    }

    /**
     * As above, with Gaussian noise of standard deviation {@code noiseStd} (drawn from {@code noise}) added to each
     * gradient coordinate before the optimizer sees it, as a mini-batch's gradient scatters around the full one; the
     * recorded loss and gradient norm are the exact ones.
     */
    public static Trajectory run(Surface surface, String label, OptimizerAssembly assembly, double[] start, int steps, double stopAt,
                                 Rng noise, double noiseStd) {
        Tensor px = Tensor.of(new float[] {(float) start[0]}, 1).requiresGrad(true);
        Tensor py = Tensor.of(new float[] {(float) start[1]}, 1).requiresGrad(true);
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("x", px);
        params.put("y", py);
        Optimizer opt = assembly.build(params);
        double[] xs = new double[steps + 1], ys = new double[steps + 1], loss = new double[steps + 1], grad = new double[steps + 1];
        for (int i = 0; i <= steps; i++) {
            xs[i] = px.item();
            ys[i] = py.item();
            Tensor f = surface.value(px, py).sum();
            loss[i] = f.item();
            List<Tensor> g = Autograd.grad(f, List.of(px, py), null, false);
            double gx = g.get(0).item(), gy = g.get(1).item();
            grad[i] = Math.hypot(gx, gy);
            if (!Double.isFinite(loss[i]) || !Double.isFinite(grad[i]) || Math.abs(xs[i]) > 1e6 || Math.abs(ys[i]) > 1e6) {
                return new Trajectory(label, Arrays.copyOf(xs, i + 1), Arrays.copyOf(ys, i + 1), Arrays.copyOf(loss, i + 1),
                        Arrays.copyOf(grad, i + 1), true);
            }
            if (i == steps || loss[i] <= stopAt) {
                return i == steps ? new Trajectory(label, xs, ys, loss, grad, false)
                        : new Trajectory(label, Arrays.copyOf(xs, i + 1), Arrays.copyOf(ys, i + 1), Arrays.copyOf(loss, i + 1), Arrays.copyOf(grad, i + 1), false);
            }
            if (noise != null) {
                gx += noiseStd * noise.nextGaussian();
                gy += noiseStd * noise.nextGaussian();
            }
            px.setGrad(Tensor.of(new float[] {(float) gx}, 1));
            py.setGrad(Tensor.of(new float[] {(float) gy}, 1));
            opt.step();
        }
        throw new AssertionError("unreachable: the loop returns at i == steps");
    }

    /** The surface on a {@code columns} x {@code rows} grid over its region, row-major from (xMin, yMin), one tensor evaluation. */
    public static double[] grid(Surface surface, int columns, int rows) {
        double[] r = surface.region();
        float[] gx = new float[columns * rows], gy = new float[columns * rows];
        for (int j = 0; j < rows; j++) {
            for (int i = 0; i < columns; i++) {
                gx[j * columns + i] = (float) (r[0] + (r[1] - r[0]) * i / (columns - 1));
                gy[j * columns + i] = (float) (r[2] + (r[3] - r[2]) * j / (rows - 1));
            }
        }
        float[] v = surface.value(Tensor.of(gx, gx.length), Tensor.of(gy, gy.length)).toArray();
        double[] out = new double[v.length];
        for (int k = 0; k < v.length; k++) out[k] = v[k];
        return out;
    }
}
