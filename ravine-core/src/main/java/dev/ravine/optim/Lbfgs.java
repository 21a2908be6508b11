package dev.ravine.optim;

import static dev.ravine.optim.TorchScalar.div;
import static dev.ravine.optim.TorchScalar.f32;
import static dev.ravine.optim.TorchScalar.mul;
import static dev.ravine.optim.TorchScalar.pmin;
import static dev.ravine.optim.TorchScalar.py;

import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * torch.optim.LBFGS (torch 1.13) for full-batch problems. It does not fit the {@link GradientTransform} shape of the
 * other optimizers because it re-evaluates the loss inside a step: {@link #step(Supplier)} takes a closure that zeroes
 * the gradients, computes the loss, calls backward and returns the loss.
 *
 * <p>The arithmetic mirrors torch's: vectors (directions, gradients, history) are float32 arrays; scalars are tracked
 * as {@link TorchScalar}, a value that is either a Python float (double) or a 0-dim float32 tensor, exactly as they are typed in
 * torch's lbfgs.py (for example ys, ro and H_diag are float32 tensors, the loss is a Python float, and t is a Python
 * float or a float32 tensor depending on where it came from), so that every rounding happens where torch's does.
 *
 * <p>With {@code line_search_fn: strong_wolfe} each iteration's step length comes from {@link StrongWolfe}.
 *
 * <p>The state (history, d, t, H_diag, previous gradient and loss, counters) can be read with {@link #arrays()} and
 * {@link #counters()} and put back with {@link #restore}; a restored optimizer continues bit-identically.
 */
public final class Lbfgs implements ClosureMethod {
    private final List<Tensor> params;
    private final int numel;
    private final double lr;
    private final int maxIter;
    private final int maxEval;
    private final double toleranceGrad;
    private final double toleranceChange;
    private final int historySize;
    private final boolean strongWolfe;

    // state
    private long funcEvals;
    private long nIter;
    private float[] d;
    private TorchScalar t;
    private List<float[]> oldDirs;
    private List<float[]> oldStps;
    private List<Float> ro;
    private TorchScalar hDiag;
    private float[] prevFlatGrad;
    private double prevLoss = Double.NaN;
    private boolean hasState;

    /** torch's defaults: lr 1, max_iter 20, max_eval max_iter * 5 / 4, tolerances 1e-7 and 1e-9, history 100, no line search. */
    public Lbfgs(List<Tensor> params) {
        this(params, 1, 20, -1, 1e-7, 1e-9, 100, null);
    }

    /**
     * @param maxEval negative for torch's default max_iter * 5 / 4
     * @param lineSearchFn null (or "none") for fixed steps, or "strong_wolfe"
     */
    public Lbfgs(List<Tensor> params, double lr, int maxIter, int maxEval, double toleranceGrad, double toleranceChange,
            int historySize, String lineSearchFn) {
        int n = 0;
        for (Tensor p : params) {
            if (!p.isDense()) throw new IllegalArgumentException("L-BFGS parameters must be dense tensors");
            n += p.numel();
        }
        if (!(lr > 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("lr must be a positive number, got " + lr);
        if (maxIter < 1) throw new IllegalArgumentException("max_iter must be >= 1, got " + maxIter);
        if (historySize < 1) throw new IllegalArgumentException("history_size must be >= 1, got " + historySize);
        this.params = List.copyOf(params);
        this.numel = n;
        this.lr = lr;
        this.maxIter = maxIter;
        this.maxEval = maxEval < 0 ? maxIter * 5 / 4 : maxEval;
        this.toleranceGrad = toleranceGrad;
        this.toleranceChange = toleranceChange;
        this.historySize = historySize;
        if (lineSearchFn == null || lineSearchFn.equals("none")) this.strongWolfe = false;
        else if (lineSearchFn.equals("strong_wolfe")) this.strongWolfe = true;
        else throw new IllegalArgumentException("only 'strong_wolfe' is supported as line_search_fn, got " + lineSearchFn);
    }

    // ---------------------------------------------------------------- float32 vector helpers

    static float dot(float[] a, float[] b) {
        float acc = 0f;
        for (int i = 0; i < a.length; i++) acc += a[i] * b[i];
        return acc;
    }

    static float absMax(float[] a) {
        float m = 0f;
        for (float v : a) {
            float x = Math.abs(v);
            if (x > m || Float.isNaN(x)) m = x;
        }
        return m;
    }

    static float absSum(float[] a) {
        float s = 0f;
        for (float v : a) s += Math.abs(v);
        return s;
    }

    static float[] scaled(float[] a, float alpha) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) out[i] = a[i] * alpha;
        return out;
    }

    /**
     * q += alpha * x, in float32 as torch's add_(x, alpha=alpha): its CPU kernel computes a fused multiply-add (one
     * rounding; measured on torch 1.13 for both the scalar and the vector path).
     */
    static void addScaled(float[] q, float[] x, float alpha) {
        for (int i = 0; i < q.length; i++) q[i] = Math.fma(alpha, x[i], q[i]);
    }

    private float[] gatherFlatGrad() {
        float[] flat = new float[numel];
        int off = 0;
        for (Tensor p : params) {
            Tensor g = p.grad();
            if (g != null) System.arraycopy(g.values(), 0, flat, off, p.numel());
            off += p.numel();
        }
        return flat;
    }

    private void addGrad(TorchScalar step, float[] update) {
        float alpha = step.f();
        int off = 0;
        for (Tensor p : params) {
            float[] w = p.storage();
            for (int i = 0; i < w.length; i++) w[i] = Math.fma(alpha, update[off + i], w[i]);
            off += w.length;
        }
    }

    private float[][] cloneParams() {
        float[][] out = new float[params.size()][];
        for (int i = 0; i < out.length; i++) out[i] = params.get(i).storage().clone();
        return out;
    }

    private void setParams(float[][] values) {
        for (int i = 0; i < values.length; i++) System.arraycopy(values[i], 0, params.get(i).storage(), 0, values[i].length);
    }

    private static double evalLoss(Supplier<Tensor> closure) {
        return closure.get().item();
    }

    /** The loss and flat gradient at x + step * dir; the parameters are x again afterwards. */
    private StrongWolfe.Evaluation directionalEvaluate(Supplier<Tensor> closure, float[][] x, TorchScalar step, float[] dir) {
        addGrad(step, dir);
        double loss = evalLoss(closure);
        float[] g = gatherFlatGrad();
        setParams(x);
        return new StrongWolfe.Evaluation(loss, g);
    }

    // ---------------------------------------------------------------- the step

    /** The two-loop recursion: -H g for the inverse Hessian H the history of pairs (y, s) and the scale hDiag define. */
    static float[] twoLoop(float[] flatGrad, List<float[]> oldDirs, List<float[]> oldStps, List<Float> ro, float hDiag) {
        int numOld = oldDirs.size();
        float[] al = new float[numOld];
        float[] q = scaled(flatGrad, -1f);
        for (int i = numOld - 1; i >= 0; i--) {
            al[i] = dot(oldStps.get(i), q) * ro.get(i);
            addScaled(q, oldDirs.get(i), -al[i]);
        }
        float[] r = scaled(q, hDiag);
        for (int i = 0; i < numOld; i++) {
            float be = dot(oldDirs.get(i), r) * ro.get(i);
            addScaled(r, oldStps.get(i), al[i] - be);
        }
        return r;
    }

    /** One optimization step (up to max_iter L-BFGS iterations); returns the loss of the first closure evaluation. */
    public double step(Supplier<Tensor> closure) {
        return step(closure, 1.0);
    }

    /** {@link #step(Supplier)} with the learning rate multiplied by {@code lrScale} (exactly lr when it is 1). */
    @Override
    public double step(Supplier<Tensor> closure, double lrScale) {
        if (!(lrScale > 0) || Double.isInfinite(lrScale)) throw new IllegalArgumentException("lr scale must be a positive finite number, got " + lrScale);
        double lr = this.lr * lrScale;
        double origLoss = evalLoss(closure);
        double loss = origLoss;
        int currentEvals = 1;
        funcEvals++;

        float[] flatGrad = gatherFlatGrad();
        boolean optCond = absMax(flatGrad) <= (float) toleranceGrad;
        if (optCond) return origLoss;

        float[] d = this.d;
        TorchScalar t = this.t;
        List<float[]> oldDirs = this.oldDirs;
        List<float[]> oldStps = this.oldStps;
        List<Float> ro = this.ro;
        TorchScalar hDiag = this.hDiag;
        float[] prevFlatGrad = this.prevFlatGrad;
        double prevLoss = this.prevLoss;

        int n = 0;
        while (n < maxIter) {
            n++;
            nIter++;

            if (nIter == 1) {
                d = scaled(flatGrad, -1f);
                oldDirs = new ArrayList<>();
                oldStps = new ArrayList<>();
                ro = new ArrayList<>();
                hDiag = py(1);
            } else {
                float[] y = new float[numel];
                for (int i = 0; i < numel; i++) y[i] = flatGrad[i] - prevFlatGrad[i];
                float[] s = scaled(d, t.f());
                float ys = dot(y, s);
                if (ys > (float) 1e-10) {
                    if (oldDirs.size() == historySize) {
                        oldDirs.remove(0);
                        oldStps.remove(0);
                        ro.remove(0);
                    }
                    oldDirs.add(y);
                    oldStps.add(s);
                    ro.add((1f / ys) * 1f);
                    hDiag = f32(ys / dot(y, y));
                }
                d = twoLoop(flatGrad, oldDirs, oldStps, ro, hDiag.f());
            }

            prevFlatGrad = flatGrad.clone();
            prevLoss = loss;

            if (nIter == 1) {
                t = mul(pmin(py(1.0), div(py(1.0), f32(absSum(flatGrad)))), py(lr));
            } else {
                t = py(lr);
            }

            TorchScalar gtd = f32(dot(flatGrad, d));
            if (gtd.f() > (float) -toleranceChange) break;

            int lsFuncEvals = 0;
            if (strongWolfe) {
                float[][] xInit = cloneParams();
                float[] dir = d;
                StrongWolfe.Result w = StrongWolfe.search(step -> directionalEvaluate(closure, xInit, step, dir), t, d, loss, flatGrad, gtd,
                        toleranceChange);
                loss = w.loss();
                flatGrad = w.grad();
                t = w.t();
                lsFuncEvals = w.evals();
                addGrad(t, d);
                optCond = absMax(flatGrad) <= (float) toleranceGrad;
            } else {
                addGrad(t, d);
                if (n != maxIter) {
                    loss = evalLoss(closure);
                    flatGrad = gatherFlatGrad();
                    optCond = absMax(flatGrad) <= (float) toleranceGrad;
                    lsFuncEvals = 1;
                }
            }
            currentEvals += lsFuncEvals;
            funcEvals += lsFuncEvals;

            if (n == maxIter) break;
            if (currentEvals >= maxEval) break;
            if (optCond) break;
            if (absMax(scaled(d, t.f())) <= (float) toleranceChange) break;
            if (Math.abs(loss - prevLoss) < toleranceChange) break;
        }

        this.d = d;
        this.t = t;
        this.oldDirs = oldDirs;
        this.oldStps = oldStps;
        this.ro = ro;
        this.hDiag = hDiag;
        this.prevFlatGrad = prevFlatGrad;
        this.prevLoss = prevLoss;
        this.hasState = true;
        return origLoss;
    }

    // ---------------------------------------------------------------- state

    @Override
    public double learningRate() {
        return lr;
    }

    public long funcEvals() {
        return funcEvals;
    }

    public long nIter() {
        return nIter;
    }

    /**
     * The state's vectors, copied: d, prev_flat_grad, old_dirs and old_stps (history rows concatenated, oldest first) and
     * ro. Empty before the first iteration.
     */
    @Override
    public Map<String, float[]> arrays() {
        Map<String, float[]> out = new LinkedHashMap<>();
        if (!hasState) return out;
        out.put("d", d.clone());
        out.put("prev_flat_grad", prevFlatGrad.clone());
        out.put("old_dirs", concat(oldDirs));
        out.put("old_stps", concat(oldStps));
        float[] r = new float[ro.size()];
        for (int i = 0; i < r.length; i++) r[i] = ro.get(i);
        out.put("ro", r);
        return out;
    }

    /**
     * The state's scalars and counters: func_evals, n_iter, and once iterations happened t, t_is_tensor, H_diag,
     * H_diag_is_tensor (1 for a float32 tensor, 0 for a Python number), prev_loss and history (the number of pairs).
     */
    @Override
    public Map<String, Double> counters() {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("func_evals", (double) funcEvals);
        out.put("n_iter", (double) nIter);
        if (!hasState) return out;
        out.put("t", t.v());
        out.put("t_is_tensor", t.tensor() ? 1.0 : 0.0);
        out.put("H_diag", hDiag.v());
        out.put("H_diag_is_tensor", hDiag.tensor() ? 1.0 : 0.0);
        out.put("prev_loss", prevLoss);
        out.put("history", (double) oldDirs.size());
        return out;
    }

    /** Puts back a state read with {@link #arrays()} and {@link #counters()}. */
    @Override
    public void restore(Map<String, float[]> arrays, Map<String, Double> counters) {
        funcEvals = counters.get("func_evals").longValue();
        nIter = counters.get("n_iter").longValue();
        hasState = counters.containsKey("t");
        if (!hasState) {
            d = null;
            t = null;
            oldDirs = oldStps = null;
            ro = null;
            hDiag = null;
            prevFlatGrad = null;
            prevLoss = Double.NaN;
            return;
        }
        t = new TorchScalar(counters.get("t"), counters.get("t_is_tensor") != 0);
        hDiag = new TorchScalar(counters.get("H_diag"), counters.get("H_diag_is_tensor") != 0);
        prevLoss = counters.get("prev_loss");
        int k = counters.get("history").intValue();
        d = arrays.get("d").clone();
        prevFlatGrad = arrays.get("prev_flat_grad").clone();
        if (d.length != numel || prevFlatGrad.length != numel) throw new IllegalArgumentException("state is for " + d.length + " parameters, not " + numel);
        oldDirs = split(arrays.get("old_dirs"), k);
        oldStps = split(arrays.get("old_stps"), k);
        ro = new ArrayList<>();
        for (float r : arrays.get("ro")) ro.add(r);
        if (ro.size() != k) throw new IllegalArgumentException("ro has " + ro.size() + " entries, history " + k);
    }

    private float[] concat(List<float[]> rows) {
        float[] out = new float[rows.size() * numel];
        for (int i = 0; i < rows.size(); i++) System.arraycopy(rows.get(i), 0, out, i * numel, numel);
        return out;
    }

    private List<float[]> split(float[] flat, int k) {
        if (flat.length != k * numel) throw new IllegalArgumentException("history holds " + flat.length + " values, expected " + k * numel);
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < k; i++) out.add(java.util.Arrays.copyOfRange(flat, i * numel, (i + 1) * numel));
        return out;
    }

    @Override
    public String describe() {
        return String.format("lbfgs(lr=%s, max_iter=%d, max_eval=%d, tolerance_grad=%s, tolerance_change=%s, history_size=%d, line_search_fn=%s)",
                lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, strongWolfe ? "strong_wolfe" : "none");
    }
}
