package dev.ravine.app.run;

import dev.ravine.app.TextFormat;
import dev.ravine.train.BatchEvent;
import dev.ravine.train.EpochEvent;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingListener;
import java.io.PrintWriter;

/**
 * Shows training progress. On a terminal it redraws one line during each epoch (carriage return, at most ten times a
 * second): epoch, batch k/n, running loss, samples per second and the epoch's remaining time. Elsewhere (a log
 * file, a pipe, a test) it prints nothing during the epoch. Either way it prints one line per finished epoch with
 * the training and validation loss and accuracy.
 */
public final class ProgressBar implements TrainingListener {
    private static final int BAR = 24;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter out;
    private final boolean interactive;
    private final int epochs;

    private long epochStart;
    private long lastDraw;
    private int currentEpoch = -1;
    private double lossSum;
    private long samples;
    private int lineLength;

    public ProgressBar(PrintWriter out, boolean interactive, int epochs) {
        this.out = out;
        this.interactive = interactive;
        this.epochs = epochs;
    }

    /** Whether the output is a terminal that understands carriage returns (Java 22+: Console.isTerminal). */
    public static boolean isTerminal() {
        var console = System.console();
        return console != null && console.isTerminal();
    }

    @Override
    public void onTrainingStart(Trainer trainer) {
        epochStart = System.nanoTime();
    }

    @Override
    public void onBatchEnd(Trainer trainer, BatchEvent e) {
        long now = System.nanoTime();
        if (e.epoch() != currentEpoch) {
            currentEpoch = e.epoch();
            lossSum = 0;
            samples = 0;
        }
        lossSum += e.loss() * e.batchSize();
        samples += e.batchSize();
        if (!interactive) return;
        boolean lastBatch = e.batchIndex() + 1 == e.batchesPerEpoch();
        if (now - lastDraw < REDRAW_NANOS && !lastBatch) return;
        lastDraw = now;
        double seconds = (now - epochStart) * 1e-9;
        int done = e.batchIndex() + 1;
        double eta = done == 0 ? Double.NaN : seconds / done * (e.batchesPerEpoch() - done);
        int filled = (int) ((long) BAR * done / Math.max(1, e.batchesPerEpoch()));
        String line = String.format("epoch %d/%d [%s%s] %d/%d  loss %s  %s samples/s  ETA %s", e.epoch() + 1, epochs,
                "#".repeat(filled), ".".repeat(BAR - filled), done, e.batchesPerEpoch(), TextFormat.loss(lossSum / samples),
                TextFormat.rate(samples / Math.max(seconds, 1e-9)), TextFormat.duration(eta));
        draw(line);
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochEvent e) {
        epochStart = System.nanoTime(); // the next epoch starts now (validation included in this one)
        clear();
        String val = Double.isNaN(e.valLoss()) ? "  (no validation set)"
                : "  val loss " + TextFormat.loss(e.valLoss()) + accuracy(e.valAccuracy());
        out.println(String.format("epoch %" + String.valueOf(epochs).length() + "d/%d  train loss %s%s%s  %s  %s samples/s",
                e.epoch(), epochs, TextFormat.loss(e.trainLoss()), accuracy(e.trainAccuracy()), val,
                TextFormat.duration(e.epochSeconds()), TextFormat.rate(e.samplesPerSecond())));
        out.flush();
    }

    /** " acc 97.25%", or nothing for a regression (no accuracy). */
    private static String accuracy(double fraction) {
        return Double.isNaN(fraction) ? "" : " acc " + TextFormat.percent(fraction);
    }

    /** Removes the progress line, so that the next message starts on a clean line. */
    public void clear() {
        if (interactive && lineLength > 0) {
            out.print("\r" + " ".repeat(lineLength) + "\r");
            out.flush();
            lineLength = 0;
        }
    }

    private void draw(String line) {
        int pad = Math.max(0, lineLength - line.length());
        out.print("\r" + line + " ".repeat(pad));
        out.flush();
        lineLength = line.length();
    }
}
