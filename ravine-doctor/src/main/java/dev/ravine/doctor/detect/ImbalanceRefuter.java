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
 * the class it recalls best, the imbalance did no harm and the finding is demoted. A class without training samples has
 * no recall to judge and no loss to be outweighed in; it is named in the evidence (the model cannot predict it), and the
 * classes that have samples decide. Training recall, not held-out: the harm claimed is to learning (the loss dominated
 * by the large classes), and a held-out miss would be overfitting's. Default recallShare 0.8.
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
        int worst = -1, best = -1, judged = 0;
        List<Integer> empty = new ArrayList<>();
        for (int c = 0; c < recall.length; c++) {
            if (Double.isNaN(recall[c])) {
                empty.add(c); // no training sample: nothing to learn, nothing outweighed
                continue;
            }
            judged++;
            if (worst < 0 || recall[c] < recall[worst]) worst = c;
            if (best < 0 || recall[c] > recall[best]) best = c;
        }
        if (judged < 2 || !(recall[best] > 0) || recall[worst] < recallShare * recall[best]) return Optional.empty();
        List<String> evidence = new ArrayList<>();
        evidence.add("the trained model recalls every class on its training samples: lowest recall " + fmt(100 * recall[worst]) + "% (class "
                + worst + "), highest " + fmt(100 * recall[best]) + "% (class " + best + "), at least " + fmt(100 * recallShare)
                + "% of the best, so the rare classes were learned");
        if (!empty.isEmpty()) {
            evidence.add("class " + empty.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "))
                    + " has no training sample: the model cannot predict it, which no training fixes (more data does)");
        }
        if (Double.isFinite(record.finalTrainLoss()) && record.priorLoss() > 0) {
            evidence.add("final training loss " + fmt(record.finalTrainLoss()) + " = " + fmt(record.finalTrainLoss() / record.priorLoss())
                    + "x the loss of predicting the class frequencies, " + fmt(record.priorLoss()));
        }
        return Optional.of(new Refutation(findingId(), evidence));
    }
}
