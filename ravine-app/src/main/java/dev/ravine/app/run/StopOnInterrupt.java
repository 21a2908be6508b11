package dev.ravine.app.run;

import dev.ravine.app.ExitCode;
import dev.ravine.train.BatchEvent;
import dev.ravine.train.StopRequest;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingListener;
import java.util.LinkedHashMap;
import java.util.Map;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns Ctrl-C (SIGINT) and SIGTERM during a run into an orderly stop: the signal raises the {@link StopRequest},
 * the trainer stops at its next step boundary and writes a final checkpoint, an analysis in progress gives up at its
 * next Hessian-vector product, and the run writes its run.db rows and summary (status stopped) and exits with 130.
 *
 * <p>The signals are handled, not left to the JVM's shutdown: a JVM shutting down on SIGTERM can only exit with 143,
 * and its shutdown hooks race the run's own writes. A second signal means "now": the process exits at once with 130;
 * the run folder still holds its newest checkpoint, which {@code ravine train --resume} continues from.
 */
final class StopOnInterrupt implements TrainingListener, AutoCloseable {
    private static final String[] SIGNALS = {"INT", "TERM"};

    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    private volatile boolean interrupted;
    private volatile long signalledAt;

    StopOnInterrupt() {
        StopRequest.clear();
        for (String name : SIGNALS) {
            Signal signal = new Signal(name);
            previous.put(signal, Signal.handle(signal, this::onSignal));
        }
    }

    private void onSignal(Signal signal) {
        if (interrupted) {
            System.err.println("\nravine: SIG" + signal.getName() + " again: exiting now (resume with ravine train --resume)");
            Runtime.getRuntime().halt(ExitCode.INTERRUPTED);
        }
        signalledAt = System.nanoTime();
        interrupted = true;
        StopRequest.raise("interrupted (SIG" + signal.getName() + ")");
    }

    boolean interrupted() {
        return interrupted;
    }

    /** When the signal came, from {@link System#nanoTime}; 0 if none. */
    long signalledAt() {
        return signalledAt;
    }

    @Override
    public void onBatchEnd(Trainer trainer, BatchEvent event) {
        if (interrupted) trainer.requestStop(StopRequest.reason() + " at step " + event.step());
    }

    /** The run has written everything: the signals get their previous handlers back. */
    @Override
    public void close() {
        previous.forEach(Signal::handle);
        StopRequest.clear();
    }
}
