package dev.ravine.io;

import java.util.Locale;

/**
 * Decides before a large allocation whether it fits in the Java heap, so that a model or data set too large for it is
 * refused with the memory it needs and the {@code -Xmx} that would hold it, instead of an OutOfMemoryError halfway
 * through reading or training. Estimates come from shapes (element counts times element size), never from trying.
 */
public final class HeapBudget {
    private static final double GB = 1024.0 * 1024 * 1024;

    private HeapBudget() {}

    /**
     * Throws {@link HeapLimitException} when {@code bytes} more would not fit next to what the heap already holds.
     *
     * @param what what needs the memory, as the message's subject ("IDX file x (60000 images of 28x28)")
     */
    public static void require(long bytes, String what) {
        if (fits(bytes)) return;
        // What looks used may be garbage: collect once, on this rare path only, before refusing.
        System.gc();
        if (fits(bytes)) return;
        throw new HeapLimitException(message(bytes, what));
    }

    /** The heap the JVM may grow to, in bytes. */
    public static long maxHeap() {
        return Runtime.getRuntime().maxMemory();
    }

    private static boolean fits(long bytes) {
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        return bytes >= 0 && bytes <= rt.maxMemory() - used;
    }

    static String message(long bytes, String what) {
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        return what + " needs about " + gigabytes(bytes) + " of memory, more than the Java heap has left ("
                + gigabytes(rt.maxMemory() - used) + " of its " + gigabytes(rt.maxMemory()) + " limit); run with a larger heap, "
                + "e.g. RAVINE_JAVA_OPTS=-Xmx" + neededXmxGigabytes(bytes, used) + "g, or make it smaller";
    }

    /** A heap limit with room for {@code bytes} next to what is in use, plus a quarter for the rest of the run. */
    static long neededXmxGigabytes(long bytes, long used) {
        return (long) Math.ceil((bytes + used) * 1.25 / GB);
    }

    public static String gigabytes(long bytes) {
        return bytes >= GB / 10 ? String.format(Locale.ROOT, "%.1f GB", bytes / GB)
                : String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }
}
