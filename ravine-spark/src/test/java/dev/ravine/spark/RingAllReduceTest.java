package dev.ravine.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The ring over real sockets, its ranks as threads: sums of every length (shorter than the ring too), every rank
 * with the same bits, the doubles' sum exact to double rounding, and a rank that leaves failing its neighbours
 * instead of hanging them.
 */
class RingAllReduceTest {
    @Test
    void everyRankEndsWithTheSameElementwiseSum() throws Exception {
        for (int size : new int[] {1, 2, 3, 4}) {
            for (int n : new int[] {1, 2, 7, 1000}) {
                List<float[]> results = runRing(size, rank -> {
                    float[] v = new float[n];
                    for (int i = 0; i < n; i++) v[i] = (float) Math.sin(1 + i * 0.37 + rank * 1.1);
                    return v;
                });
                for (int i = 0; i < n; i++) {
                    double expected = 0;
                    for (int r = 0; r < size; r++) expected += (float) Math.sin(1 + i * 0.37 + r * 1.1);
                    assertEquals(expected, results.getFirst()[i], 1e-5, "size " + size + ", n " + n + ", element " + i);
                }
                for (float[] r : results) assertArrayEquals(results.getFirst(), r, "every rank holds the same bits");
            }
        }
    }

    @Test
    void doublesAreSummedToDoublePrecision() throws Exception {
        List<double[]> sums = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(3)) {
            List<RingAllReduce> rings = connect(3, pool);
            List<Future<double[]>> f = new ArrayList<>();
            for (RingAllReduce ring : rings) {
                f.add(pool.submit(() -> {
                    double[] v = {1.0 / 3 + ring.rank() * 1e-9, 12345.678901234 * (ring.rank() + 1)};
                    ring.sum(v);
                    return v;
                }));
            }
            for (Future<double[]> x : f) sums.add(x.get());
            rings.forEach(RingAllReduce::close);
        }
        assertEquals(1.0 + 3e-9, sums.getFirst()[0], 1e-14);
        assertEquals(12345.678901234 * 6, sums.getFirst()[1], 1e-9);
    }

    @Test
    void aRankThatLeavesFailsItsNeighbourInsteadOfHangingIt() throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            List<RingAllReduce> rings = connect(2, pool);
            rings.get(1).close(); // as a killed worker's sockets are closed by its OS
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> rings.get(0).sum(new float[1000]));
            assertTrue(e.getMessage().contains("lost its ring neighbour"), e.getMessage());
            rings.get(0).close();
        }
    }

    private interface Input {
        float[] of(int rank);
    }

    private static List<float[]> runRing(int size, Input input) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(size)) {
            List<RingAllReduce> rings = connect(size, pool);
            List<Future<float[]>> f = new ArrayList<>();
            for (RingAllReduce ring : rings) {
                f.add(pool.submit(() -> {
                    float[] v = input.of(ring.rank());
                    ring.sum(v);
                    return v;
                }));
            }
            List<float[]> out = new ArrayList<>();
            for (Future<float[]> x : f) out.add(x.get());
            rings.forEach(RingAllReduce::close);
            return out;
        }
    }

    private static List<RingAllReduce> connect(int size, ExecutorService pool) throws Exception {
        List<ServerSocket> servers = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        for (int r = 0; r < size; r++) {
            ServerSocket s = new ServerSocket(0);
            servers.add(s);
            addresses.add("127.0.0.1:" + s.getLocalPort());
        }
        List<Future<RingAllReduce>> f = new ArrayList<>();
        for (int r = 0; r < size; r++) {
            int rank = r;
            f.add(pool.submit(() -> RingAllReduce.connect(rank, addresses, servers.get(rank), 10_000)));
        }
        List<RingAllReduce> rings = new ArrayList<>();
        for (Future<RingAllReduce> x : f) rings.add(x.get());
        for (ServerSocket s : servers) s.close();
        return rings;
    }
}
