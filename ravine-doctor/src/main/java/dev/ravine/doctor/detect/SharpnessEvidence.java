package dev.ravine.doctor.detect;

import static dev.ravine.doctor.detect.Readings.fmt;

import dev.ravine.doctor.curvature.CurvatureReading;
import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.OptimizerKind;
import dev.ravine.doctor.finding.RunFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The curvature readings as evidence: the newest usable one, and sentences that compare it with its threshold. */
final class SharpnessEvidence {
    private SharpnessEvidence() {}

    /** The newest reading with at least one known ratio (a threshold applies and the value is finite). */
    static Optional<CurvatureReading> latest(List<CurvatureReading> curvature) {
        for (int i = curvature.size() - 1; i >= 0; i--) {
            if (Double.isFinite(curvature.get(i).worstRatio())) return Optional.of(curvature.get(i));
        }
        return Optional.empty();
    }

    /** Sentences for the known ratios, e.g. "sharpness 250 at step 300 x lr 0.1 = 25: 12.5x the stability threshold 2/lr = 20". */
    static List<String> describe(CurvatureReading c, RunFacts facts) {
        List<String> out = new ArrayList<>();
        if (Double.isFinite(c.ratio())) {
            out.add("sharpness (top Hessian eigenvalue on the probe batch) " + fmt(c.sharpness()) + " at step " + c.step() + " = " + fmt(c.ratio())
                    + "x the stability threshold " + fmt(c.threshold()) + " (2/lr for gradient descent, (2+2 momentum)/lr with momentum;"
                    + " unstable above 1, Cohen et al. 2021)");
        }
        if (Double.isFinite(c.preconditionedRatio())) {
            // Adam's form (a bias-corrected moving average over P) has Adam's threshold; steps lr g / P (RMSprop, Adagrad,
            // Adadelta) have gradient descent's, or heavy ball's with momentum (StabilityRule)
            boolean adamForm = OptimizerKind.hasOption(facts.optimizer(), "betas");
            out.add("preconditioned sharpness (top eigenvalue of P^-1 H with the optimizer's current " + (adamForm ? "v" : "preconditioner P") + ") "
                    + fmt(c.preconditionedSharpness()) + " at step " + c.step() + " = " + fmt(c.preconditionedRatio()) + "x "
                    + (adamForm ? "Adam's threshold (2+2 beta1)/((1-beta1) lr)" : "its threshold 2/lr ((2+2 momentum)/lr with momentum)") + " = "
                    + fmt(c.preconditionedThreshold()) + " (unstable above 1, Cohen et al. 2022)");
        }
        return out;
    }

    /** The finding with these sentences appended to its evidence. */
    static Finding withEvidence(Finding f, List<String> more) {
        if (more.isEmpty()) return f;
        List<String> evidence = new ArrayList<>(f.evidence());
        evidence.addAll(more);
        return new Finding(f.id(), f.title(), f.severity(), f.firstStep(), f.lastStep(), f.layers(), evidence, f.cause(), f.remedies());
    }
}
