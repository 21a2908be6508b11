package dev.ravine.optim;

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
 * as {@link Num}, a value that is either a Python float (double) or a 0-dim float32 tensor, exactly as they are typed in
 * torch's lbfgs.py (for example ys, ro and H_diag are float32 tensors, the loss is a Python float, and t is a Python
 * float or a float32 tensor depending on where it came from), so that every rounding happens where torch's does.
 *
 * <p>The state (history, d, t, H_diag, previous gradient and loss, counters) can be read with {@link #arrays()} and
 * {@link #counters()} and put back with {@link #restore}; a restored optimizer continues bit-identically.
 */
public final class Lbfgs implements ClosureMethod {
    /** A scalar as torch's code holds it: a Python float ({@code tensor == false}) or a 0-dim float32 tensor. */
    record Num(double v, boolean tensor) {
        static Num py(double v) { return new Num(v, false); }
        static Num f32(float v) { return new Num(v, true); }
        float f() { return (float) v; }
    }

    static Num add(Num a, Num b) { return a.tensor || b.tensor ? Num.f32(a.f() + b.f()) : Num.py(a.v + b.v); }
    static Num sub(Num a, Num b) { return a.tensor || b.tensor ? Num.f32(a.f() - b.f()) : Num.py(a.v - b.v); }
    static Num mul(Num a, Num b) { return a.tensor || b.tensor ? Num.f32(a.f() * b.f()) : Num.py(a.v * b.v); }

    /** a / b; a Python float over a tensor is torch's __rtruediv__: reciprocal(b) * a. */
    static Num div(Num a, Num b) {
        if (a.tensor && b.tensor) return Num.f32(a.f() / b.f());
        if (b.tensor) return Num.f32((1f / b.f()) * a.f());
        if (a.tensor) return Num.f32(a.f() / b.f());
        return Num.py(a.v / b.v);
    }

    static Num abs(Num a) { return a.tensor ? Num.f32(Math.abs(a.f())) : Num.py(Math.abs(a.v)); }
    static Num neg(Num a) { return a.tensor ? Num.f32(-a.f()) : Num.py(-a.v); }

    /** a < b; with a tensor on either side the comparison is in float32. */
    static boolean lt(Num a, Num b) { return a.tensor || b.tensor ? a.f() < b.f() : a.v < b.v; }
    static boolean le(Num a, Num b) { return a.tensor || b.tensor ? a.f() <= b.f() : a.v <= b.v; }
    static boolean gt(Num a, Num b) { return lt(b, a); }
    static boolean ge(Num a, Num b) { return le(b, a); }

    /** Python's max(a, b): a unless b > a. */
    static Num pmax(Num a, Num b) { return gt(b, a) ? b : a; }
    /** Python's min(a, b): a unless b < a. */
    static Num pmin(Num a, Num b) { return lt(b, a) ? b : a; }

    static Num py(double v) { return Num.py(v); }

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
    private Num t;
    private List<float[]> oldDirs;
    private List<float[]> oldStps;
    private List<Float> ro;
    private Num hDiag;
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

    private void addGrad(Num step, float[] update) {
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

    private record Eval(double loss, float[] grad) {}

    private Eval directionalEvaluate(Supplier<Tensor> closure, float[][] x, Num step, float[] dir) {
        addGrad(step, dir);
        double loss = evalLoss(closure);
        float[] g = gatherFlatGrad();
        setParams(x);
        return new Eval(loss, g);
    }

    // ---------------------------------------------------------------- the step

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
        Num t = this.t;
        List<float[]> oldDirs = this.oldDirs;
        List<float[]> oldStps = this.oldStps;
        List<Float> ro = this.ro;
        Num hDiag = this.hDiag;
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
                    hDiag = Num.f32(ys / dot(y, y));
                }
                int numOld = oldDirs.size();
                float[] al = new float[numOld];
                float[] q = scaled(flatGrad, -1f);
                for (int i = numOld - 1; i >= 0; i--) {
                    al[i] = dot(oldStps.get(i), q) * ro.get(i);
                    addScaled(q, oldDirs.get(i), -al[i]);
                }
                float[] r = scaled(q, hDiag.f());
                for (int i = 0; i < numOld; i++) {
                    float be = dot(oldDirs.get(i), r) * ro.get(i);
                    addScaled(r, oldStps.get(i), al[i] - be);
                }
                d = r;
            }

            prevFlatGrad = flatGrad.clone();
            prevLoss = loss;

            if (nIter == 1) {
                t = mul(pmin(py(1.0), div(py(1.0), Num.f32(absSum(flatGrad)))), py(lr));
            } else {
                t = py(lr);
            }

            Num gtd = Num.f32(dot(flatGrad, d));
            if (gtd.f() > (float) -toleranceChange) break;

            int lsFuncEvals = 0;
            if (strongWolfe) {
                float[][] xInit = cloneParams();
                WolfeResult w = strongWolfe(closure, xInit, t, d, loss, flatGrad, gtd);
                loss = w.loss;
                flatGrad = w.grad;
                t = w.t;
                lsFuncEvals = w.evals;
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

    // ---------------------------------------------------------------- strong Wolfe line search (torch's _strong_wolfe)

    private record WolfeResult(double loss, float[] grad, Num t, int evals) {}

    /** torch's _cubic_interpolate, with the same mix of Python floats and float32 tensors. */
    static Num cubicInterpolate(Num x1, Num f1, Num g1, Num x2, Num f2, Num g2, Num minBound, Num maxBound) {
        Num xmin, xmax;
        if (minBound != null) {
            xmin = minBound;
            xmax = maxBound;
        } else if (le(x1, x2)) {
            xmin = x1;
            xmax = x2;
        } else {
            xmin = x2;
            xmax = x1;
        }
        Num d1 = sub(add(g1, g2), div(mul(py(3), sub(f1, f2)), sub(x1, x2)));
        Num d2Square = sub(mul(d1, d1), mul(g1, g2));
        if (ge(d2Square, py(0))) {
            Num d2 = d2Square.tensor ? Num.f32((float) Math.sqrt(d2Square.f())) : py(Math.sqrt(d2Square.v));
            Num minPos;
            if (le(x1, x2)) {
                minPos = sub(x2, mul(sub(x2, x1), div(sub(add(g2, d2), d1), add(sub(g2, g1), mul(py(2), d2)))));
            } else {
                minPos = sub(x1, mul(sub(x1, x2), div(sub(add(g1, d2), d1), add(sub(g1, g2), mul(py(2), d2)))));
            }
            return pmin(pmax(minPos, xmin), xmax);
        }
        return div(add(xmin, xmax), py(2.0));
    }

    private WolfeResult strongWolfe(Supplier<Tensor> closure, float[][] x, Num t, float[] d, double fIn, float[] g, Num gtd) {
        final Num c1 = py(1e-4), c2 = py(0.9);
        final Num tolChange = py(toleranceChange);
        final int maxLs = 25;
        Num f = py(fIn);
        Num dNorm = Num.f32(absMax(d));
        g = g.clone();
        Eval e = directionalEvaluate(closure, x, t, d);
        Num fNew = py(e.loss);
        float[] gNew = e.grad;
        int lsFuncEvals = 1;
        Num gtdNew = Num.f32(dot(gNew, d));

        Num tPrev = py(0), fPrev = f, gtdPrev = gtd;
        float[] gPrev = g;
        boolean done = false;
        int lsIter = 0;
        Num[] bracket = null, bracketF = null, bracketGtd = null;
        float[][] bracketG = null;
        while (lsIter < maxLs) {
            if (gt(fNew, add(f, mul(mul(c1, t), gtd))) || (lsIter > 1 && ge(fNew, fPrev))) {
                bracket = new Num[] {tPrev, t};
                bracketF = new Num[] {fPrev, fNew};
                bracketG = new float[][] {gPrev, gNew.clone()};
                bracketGtd = new Num[] {gtdPrev, gtdNew};
                break;
            }
            if (le(abs(gtdNew), mul(neg(c2), gtd))) {
                bracket = new Num[] {t};
                bracketF = new Num[] {fNew};
                bracketG = new float[][] {gNew};
                done = true;
                break;
            }
            if (ge(gtdNew, py(0))) {
                bracket = new Num[] {tPrev, t};
                bracketF = new Num[] {fPrev, fNew};
                bracketG = new float[][] {gPrev, gNew.clone()};
                bracketGtd = new Num[] {gtdPrev, gtdNew};
                break;
            }
            Num minStep = add(t, mul(py(0.01), sub(t, tPrev)));
            Num maxStep = mul(t, py(10));
            Num tmp = t;
            t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, minStep, maxStep);
            tPrev = tmp;
            fPrev = fNew;
            gPrev = gNew.clone();
            gtdPrev = gtdNew;
            e = directionalEvaluate(closure, x, t, d);
            fNew = py(e.loss);
            gNew = e.grad;
            lsFuncEvals++;
            gtdNew = Num.f32(dot(gNew, d));
            lsIter++;
        }
        if (lsIter == maxLs) {
            bracket = new Num[] {py(0), t};
            bracketF = new Num[] {f, fNew};
            bracketG = new float[][] {g, gNew};
            // torch keeps bracket_gtd from an earlier assignment if any; with none it would fail in the zoom below
        }

        boolean insufProgress = false;
        int lowPos, highPos;
        if (le(bracketF[0], bracketF[bracketF.length - 1])) {
            lowPos = 0;
            highPos = 1;
        } else {
            lowPos = 1;
            highPos = 0;
        }
        while (!done && lsIter < maxLs) {
            if (lt(mul(abs(sub(bracket[1], bracket[0])), dNorm), tolChange)) break;

            t = cubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1], null, null);

            Num bMax = pmax(bracket[0], bracket[1]), bMin = pmin(bracket[0], bracket[1]);
            Num eps = mul(py(0.1), sub(bMax, bMin));
            if (lt(pmin(sub(bMax, t), sub(t, bMin)), eps)) {
                if (insufProgress || ge(t, bMax) || le(t, bMin)) {
                    if (lt(abs(sub(t, bMax)), abs(sub(t, bMin)))) t = sub(bMax, eps);
                    else t = add(bMin, eps);
                    insufProgress = false;
                } else {
                    insufProgress = true;
                }
            } else {
                insufProgress = false;
            }

            e = directionalEvaluate(closure, x, t, d);
            fNew = py(e.loss);
            gNew = e.grad;
            lsFuncEvals++;
            gtdNew = Num.f32(dot(gNew, d));
            lsIter++;

            if (gt(fNew, add(f, mul(mul(c1, t), gtd))) || ge(fNew, bracketF[lowPos])) {
                bracket[highPos] = t;
                bracketF[highPos] = fNew;
                bracketG[highPos] = gNew.clone();
                bracketGtd[highPos] = gtdNew;
                if (le(bracketF[0], bracketF[1])) {
                    lowPos = 0;
                    highPos = 1;
                } else {
                    lowPos = 1;
                    highPos = 0;
                }
            } else {
                if (le(abs(gtdNew), mul(neg(c2), gtd))) {
                    done = true;
                } else if (ge(mul(gtdNew, sub(bracket[highPos], bracket[lowPos])), py(0))) {
                    bracket[highPos] = bracket[lowPos];
                    bracketF[highPos] = bracketF[lowPos];
                    bracketG[highPos] = bracketG[lowPos];
                    bracketGtd[highPos] = bracketGtd[lowPos];
                }
                bracket[lowPos] = t;
                bracketF[lowPos] = fNew;
                bracketG[lowPos] = gNew.clone();
                bracketGtd[lowPos] = gtdNew;
            }
        }
        return new WolfeResult(bracketF[lowPos].v, bracketG[lowPos], bracket[lowPos], lsFuncEvals);
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
        out.put("t", t.v);
        out.put("t_is_tensor", t.tensor ? 1.0 : 0.0);
        out.put("H_diag", hDiag.v);
        out.put("H_diag_is_tensor", hDiag.tensor ? 1.0 : 0.0);
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
        t = new Num(counters.get("t"), counters.get("t_is_tensor") != 0);
        hDiag = new Num(counters.get("H_diag"), counters.get("H_diag_is_tensor") != 0);
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
