package dev.ravine.app.cli;

import dev.ravine.io.HeapBudget;

/**
 * What to tell the user when the JVM ran out of heap or stack: the limits are the user's to raise (or the input's to
 * shrink), so these are input problems, reported in one message without a stack trace. Models and data sets are
 * estimated before allocating ({@link HeapBudget}); this is the net under what the estimates do not cover.
 */
final class ResourceExhaustion {
    private ResourceExhaustion() {}

    static String explain(Throwable error) {
        if (error instanceof StackOverflowError) {
            return "the input nests too deeply for the thread stack (StackOverflowError): a model with very many layers "
                    + "or a deeply nested config; use fewer layers, or a larger stack, e.g. RAVINE_JAVA_OPTS=-Xss64m";
        }
        long max = HeapBudget.maxHeap();
        return "out of memory (" + error.getMessage() + ") with a Java heap of at most " + HeapBudget.gigabytes(max)
                + ": the model, batch or data set is too large for it; use a smaller batch_size, model or data set, or a "
                + "larger heap, e.g. RAVINE_JAVA_OPTS=-Xmx" + Math.max(2, 2 * (long) Math.ceil(max / (1024.0 * 1024 * 1024))) + "g";
    }
}
