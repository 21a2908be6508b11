package dev.ravine.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PoolWaitsTest {

    @Test
    void propertiesInMicrosecondsReplaceTheDefaults() {
        String spin = System.getProperty("ravine.pool.spin"), linger = System.getProperty("ravine.pool.linger");
        try {
            System.clearProperty("ravine.pool.spin");
            System.clearProperty("ravine.pool.linger");
            assertEquals(PoolWaits.DEFAULTS, PoolWaits.configured());
            assertEquals(new PoolWaits(20_000, 0), PoolWaits.DEFAULTS, "the caller spins 20 us, helpers do not linger");
            System.setProperty("ravine.pool.linger", "150");
            assertEquals(new PoolWaits(20_000, 150_000), PoolWaits.configured());
            System.setProperty("ravine.pool.spin", " 0 ");
            assertEquals(new PoolWaits(0, 150_000), PoolWaits.configured());
            System.setProperty("ravine.pool.spin", "-1");
            assertThrows(IllegalArgumentException.class, PoolWaits::configured);
            System.setProperty("ravine.pool.spin", "20us");
            assertThrows(IllegalArgumentException.class, PoolWaits::configured);
        } finally {
            restore("ravine.pool.spin", spin);
            restore("ravine.pool.linger", linger);
        }
    }

    @Test
    void aLingeringHelperGoesBackToThePoolAsSoonAsATaskIsQueued() throws Exception {
        // One worker: the queued task can only run once the lingering one has returned.
        try (ForkJoinPool pool = new ForkJoinPool(1)) {
            long start = System.nanoTime();
            ForkJoinTask<?> lingering = pool.submit(() -> ComputePool.lingerForWork(pool, TimeUnit.SECONDS.toNanos(20)));
            Thread.sleep(50);
            ForkJoinTask<Long> next = pool.submit(System::nanoTime);
            long ranAt = next.get(10, TimeUnit.SECONDS);
            lingering.get();
            assertTrue(ranAt - start < TimeUnit.SECONDS.toNanos(5), "the queued task waited for the whole linger");
        }
    }

    @Test
    void aLingerWithoutWorkEndsOnTime() {
        try (ForkJoinPool pool = new ForkJoinPool(1)) {
            long start = System.nanoTime();
            pool.submit(() -> ComputePool.lingerForWork(pool, TimeUnit.MILLISECONDS.toNanos(30))).join();
            long took = System.nanoTime() - start;
            assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(30), "returned after " + took + " ns");
        }
    }

    private static void restore(String name, String value) {
        if (value == null) System.clearProperty(name);
        else System.setProperty(name, value);
    }
}
