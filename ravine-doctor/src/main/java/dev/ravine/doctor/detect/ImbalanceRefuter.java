package dev.ravine.doctor.detect;

import static dev.ravine.doctor.detect.Readings.fmt;

import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Refutation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * data_imbalance refuted by the trained model: the finding's harm is that the rare classes are learned slowly or not at
 * all, so when the finished model recalls every class on its training samples at least {@code recallShare} as well as
 * the class it recalls best, the imbalance did no harm and the finding is demoted. A class without samples cannot be
 * learned, so its imbalance is never refuted. Training recall, not held-out: the harm claimed is to learning (the loss
 * dominated by the large classes), and a held-out miss would be overfitting's. Default recallShare 0.8.
 */
public record ImbalanceRefuter(double recallShare) implements Refuter {
    public static ImbalanceRefuter defaults() {
        return new ImbalanceRefuter(0.8);
    }

    @Override
    public String findingId() {
        return "data_imbalance";
    }

    @Override
    public Optional<Refutation> refute(Finding f, RunRecord record) {
        double[] recall = record.trainRecall();
        if (recall.length < 2) return Optional.empty();
        int worst = 0, best = 0;
        for (int c = 0; c < recall.length; c++) {
            if (Double.isNaN(recall[c])) return Optional.empty(); // an empty class: nothing to learn from
            if (recall[c] < recall[worst]) worst = c;
            if (recall[c] > recall[best]) best = c;
        }
        if (!(recall[best] > 0) || recall[worst] < recallShare * recall[best]) return Optional.empty();
        List<String> evidence = new ArrayList<>();
        evidence.add("the trained model recalls every class on its training samples: lowest recall " + fmt(100 * recall[worst]) + "% (class "
                + worst + "), highest " + fmt(100 * recall[best]) + "% (class " + best + "), at least " + fmt(100 * recallShare)
                + "% of the best, so the rare classes were learned");
        if (Double.isFinite(record.finalTrainLoss()) && record.priorLoss() > 0) {
            evidence.add("final training loss " + fmt(record.finalTrainLoss()) + " = " + fmt(record.finalTrainLoss() / record.priorLoss())
                    + "x the loss of predicting the class frequencies, " + fmt(record.priorLoss()));
        }
        return Optional.of(new Refutation(findingId(), evidence));
    }
}
