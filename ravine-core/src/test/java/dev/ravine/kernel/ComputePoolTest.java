package dev.ravine.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ComputePoolTest {

    @Test
    void sizeDefaultsToTheProcessorCount() {
        assertTrue(ComputePool.threads() >= 1);
        if (System.getProperty("ravine.threads") == null) {
            assertEquals(Runtime.getRuntime().availableProcessors(), ComputePool.threads());
        }
    }

    @Test
    void runsEveryTaskExactlyOnceBeforeReturning() {
        for (int tasks : new int[] {0, 1, 2, 17, 1000}) {
            AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
            ComputePool.parallelFor(tasks, runs::incrementAndGet);
            for (int i = 0; i < tasks; i++) assertEquals(1, runs.get(i), "task " + i + " of " + tasks);
        }
    }

    @Test
    void rethrowsATaskFailure() {
        ComputePool.runWithThreads(2, () -> {
            RuntimeException thrown = assertThrows(IllegalStateException.class, () -> ComputePool.parallelFor(8, i -> {
                if (i == 5) throw new IllegalStateException("boom at 5");
            }));
            String messages = thrown.getMessage() + " " + (thrown.getCause() == null ? "" : thrown.getCause().getMessage());
            assertTrue(messages.contains("boom at 5"), messages);
        });
    }

    @Test
    void rejectsNegativeTaskCounts() {
        assertThrows(IllegalArgumentException.class, () -> ComputePool.parallelFor(-1, i -> { }));
        assertThrows(IllegalArgumentException.class, () -> ComputePool.runWithThreads(0, () -> { }));
    }

    @Test
    void oneThreadRunsInlineOnTheCaller() {
        Thread caller = Thread.currentThread();
        List<Thread> seen = new ArrayList<>();
        ComputePool.runWithThreads(1, () -> {
            assertEquals(1, ComputePool.threads());
            ComputePool.parallelFor(10, i -> seen.add(Thread.currentThread()));
        });
        assertEquals(10, seen.size());
        assertTrue(seen.stream().allMatch(thread -> thread == caller));
    }

    @Test
    void aScopedPoolSpreadsTasksOverItsThreads() {
        Set<String> workers = ConcurrentHashMap.newKeySet();
        ComputePool.runWithThreads(3, () -> {
            assertEquals(3, ComputePool.threads());
            ComputePool.parallelFor(12, i -> {
                workers.add(Thread.currentThread().getName());
                sleep(20);
            });
        });
        assertTrue(workers.size() > 1, "ran on " + workers);
        String caller = Thread.currentThread().getName();
        assertTrue(workers.stream().allMatch(name -> name.equals(caller) || name.startsWith("ravine-compute-")),
                workers.toString());
    }

    @Test
    void nestedLoopsUseTheEnclosingPool() {
        int outer = 4, inner = 6;
        AtomicIntegerArray runs = new AtomicIntegerArray(outer * inner);
        int[] innerThreads = new int[outer];
        ComputePool.runWithThreads(3, () -> ComputePool.parallelFor(outer, i -> {
            innerThreads[i] = ComputePool.threads();
            ComputePool.parallelFor(inner, j -> runs.incrementAndGet(i * inner + j));
        }));
        for (int i = 0; i < outer * inner; i++) assertEquals(1, runs.get(i));
        for (int threads : innerThreads) assertEquals(3, threads);
    }

    @Test
    void rangesAreFixedChunksCoveringEveryIndexOnce() {
        int size = 1003, chunk = 100;
        AtomicIntegerArray runs = new AtomicIntegerArray(size);
        Set<String> chunks = ConcurrentHashMap.newKeySet();
        ComputePool.parallelRange(size, chunk, (from, to) -> {
            chunks.add(from + "-" + to);
            for (int i = from; i < to; i++) runs.incrementAndGet(i);
        });
        for (int i = 0; i < size; i++) assertEquals(1, runs.get(i), "index " + i);
        assertEquals(11, chunks.size());
        assertTrue(chunks.contains("1000-1003"), chunks.toString());
        assertThrows(IllegalArgumentException.class, () -> ComputePool.parallelRange(10, 0, (from, to) -> { }));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
