package dev.ravine.optim;

import static dev.ravine.optim.TorchScalar.abs;
import static dev.ravine.optim.TorchScalar.add;
import static dev.ravine.optim.TorchScalar.cubicInterpolate;
import static dev.ravine.optim.TorchScalar.f32;
import static dev.ravine.optim.TorchScalar.ge;
import static dev.ravine.optim.TorchScalar.gt;
import static dev.ravine.optim.TorchScalar.le;
import static dev.ravine.optim.TorchScalar.lt;
import static dev.ravine.optim.TorchScalar.mul;
import static dev.ravine.optim.TorchScalar.neg;
import static dev.ravine.optim.TorchScalar.pmax;
import static dev.ravine.optim.TorchScalar.pmin;
import static dev.ravine.optim.TorchScalar.py;
import static dev.ravine.optim.TorchScalar.sub;

/**
 * torch's {@code _strong_wolfe} line search (torch 1.13, c1 = 1e-4, c2 = 0.9, at most 25 evaluations), as {@link Lbfgs}
 * runs it when {@code line_search_fn} is strong_wolfe: bracketing, then zooming by cubic interpolation, with torch's
 * mix of Python floats and float32 tensors ({@link TorchScalar}).
 */
final class StrongWolfe {
    private StrongWolfe() {}

    /** The loss and flat gradient at the search's start point plus {@code step} times the direction (the point is then put back). */
    @FunctionalInterface
    interface Objective {
        Evaluation at(TorchScalar step);
    }

    record Evaluation(double loss, float[] grad) {}

    /** The accepted step {@code t}, the loss and flat gradient there, and how many evaluations the search made. */
    record Result(double loss, float[] grad, TorchScalar t, int evals) {}

    /**
     * The search along {@code d} from the point where the loss is {@code fIn} and the flat gradient {@code g}, starting
     * at step {@code t}; {@code gtd} is g . d.
     */
    static Result search(Objective objective, TorchScalar t, float[] d, double fIn, float[] g, TorchScalar gtd, double toleranceChange) {
        final TorchScalar c1 = py(1e-4), c2 = py(0.9);
        final TorchScalar tolChange = py(toleranceChange);
        final int maxLs = 25;
        TorchScalar f = py(fIn);
        TorchScalar dNorm = f32(Lbfgs.absMax(d));
        g = g.clone();
        Evaluation e = objective.at(t);
        TorchScalar fNew = py(e.loss());
        float[] gNew = e.grad();
        int lsFuncEvals = 1;
        TorchScalar gtdNew = f32(Lbfgs.dot(gNew, d));

        TorchScalar tPrev = py(0), fPrev = f, gtdPrev = gtd;
        float[] gPrev = g;
        boolean done = false;
        int lsIter = 0;
        TorchScalar[] bracket = null, bracketF = null, bracketGtd = null;
        float[][] bracketG = null;
        while (lsIter < maxLs) {
            if (gt(fNew, add(f, mul(mul(c1, t), gtd))) || (lsIter > 1 && ge(fNew, fPrev))) {
                bracket = new TorchScalar[] {tPrev, t};
                bracketF = new TorchScalar[] {fPrev, fNew};
                bracketG = new float[][] {gPrev, gNew.clone()};
                bracketGtd = new TorchScalar[] {gtdPrev, gtdNew};
                break;
            }
            if (le(abs(gtdNew), mul(neg(c2), gtd))) {
                bracket = new TorchScalar[] {t};
                bracketF = new TorchScalar[] {fNew};
                bracketG = new float[][] {gNew};
                done = true;
                break;
            }
            if (ge(gtdNew, py(0))) {
                bracket = new TorchScalar[] {tPrev, t};
                bracketF = new TorchScalar[] {fPrev, fNew};
                bracketG = new float[][] {gPrev, gNew.clone()};
                bracketGtd = new TorchScalar[] {gtdPrev, gtdNew};
                break;
            }
            TorchScalar minStep = add(t, mul(py(0.01), sub(t, tPrev)));
            TorchScalar maxStep = mul(t, py(10));
            TorchScalar tmp = t;
            t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, minStep, maxStep);
            tPrev = tmp;
            fPrev = fNew;
            gPrev = gNew.clone();
            gtdPrev = gtdNew;
            e = objective.at(t);
            fNew = py(e.loss());
            gNew = e.grad();
            lsFuncEvals++;
            gtdNew = f32(Lbfgs.dot(gNew, d));
            lsIter++;
        }
        if (lsIter == maxLs) {
            bracket = new TorchScalar[] {py(0), t};
            bracketF = new TorchScalar[] {f, fNew};
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

            TorchScalar bMax = pmax(bracket[0], bracket[1]), bMin = pmin(bracket[0], bracket[1]);
            TorchScalar eps = mul(py(0.1), sub(bMax, bMin));
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

            e = objective.at(t);
            fNew = py(e.loss());
            gNew = e.grad();
            lsFuncEvals++;
            gtdNew = f32(Lbfgs.dot(gNew, d));
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
        return new Result(bracketF[lowPos].v(), bracketG[lowPos], bracket[lowPos], lsFuncEvals);
    }
}
