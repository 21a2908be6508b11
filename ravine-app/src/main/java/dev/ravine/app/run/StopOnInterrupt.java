package dev.ravine.app.run;

import dev.ravine.train.BatchEvent;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingListener;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns Ctrl-C (SIGINT, SIGTERM) during training into an orderly stop: a shutdown hook raises a flag, the next batch
 * asks the trainer to stop (from the training thread, the only one that may touch it), and the hook holds the JVM
 * open until the run has written its summary and closed its database, for at most {@value #GRACE_SECONDS} s.
 */
final class StopOnInterrupt implements TrainingListener, AutoCloseable {
    static final int GRACE_SECONDS = 30;

    private final Thread hook;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean interrupted;

    StopOnInterrupt() {
        hook = new Thread(() -> {
            interrupted = true;
            try {
                finished.await(GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ravine-stop-on-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    boolean interrupted() {
        return interrupted;
    }

    @Override
    public void onBatchEnd(Trainer trainer, BatchEvent event) {
        if (interrupted) trainer.requestStop("interrupted (Ctrl-C or SIGTERM) at step " + event.step());
    }

    /** The run has written everything: the JVM may exit. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook is running and has just been released
        }
    }
}
