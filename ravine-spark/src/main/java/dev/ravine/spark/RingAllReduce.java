package dev.ravine.spark;

import dev.ravine.train.ReplicaGroup;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A ring all-reduce over TCP among the replicas of a data-parallel run, as Horovod and PyTorch's TorchDistributor run
 * between Spark barrier tasks: rank r sends to rank r+1 and receives from rank r-1. The vector is cut into N chunks;
 * N-1 reduce-scatter steps leave each rank with one chunk fully summed, N-1 all-gather steps copy every summed chunk
 * around the ring. Each rank sends and receives 2(N-1)/N of the vector, whatever N is, which is why the ring is
 * bandwidth-optimal. Every chunk is summed on one rank and copied to the others, so all ranks hold the same bits.
 *
 * <p>A peer that dies closes its sockets (the OS does so for a killed process): the next read fails and the run
 * with it, instead of waiting; a peer that hangs is given {@code timeoutMillis} per read.
 */
public final class RingAllReduce implements ReplicaGroup, AutoCloseable {
    private final int rank;
    private final int size;
    private final Socket toNext;
    private final Socket fromPrevious;
    private final DataOutputStream out;
    private final DataInputStream in;
    /** Sends run here while the caller receives, so two neighbours sending at once never both block. */
    private final ExecutorService sender;
    private byte[] sendBuffer = new byte[0];
    private byte[] receiveBuffer = new byte[0];

    private RingAllReduce(int rank, int size, Socket toNext, Socket fromPrevious) throws IOException {
        this.rank = rank;
        this.size = size;
        this.toNext = toNext;
        this.fromPrevious = fromPrevious;
        this.out = toNext == null ? null : new DataOutputStream(new BufferedOutputStream(toNext.getOutputStream(), 1 << 16));
        this.in = fromPrevious == null ? null : new DataInputStream(new BufferedInputStream(fromPrevious.getInputStream(), 1 << 16));
        this.sender = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ravine-ring-send-" + rank);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Joins the ring: {@code own} is this rank's listening socket, already bound before the addresses were exchanged,
     * so the connection to the next rank is queued by its backlog even before it accepts.
     *
     * @param addresses every rank's "host:port", in rank order
     */
    public static RingAllReduce connect(int rank, List<String> addresses, ServerSocket own, int timeoutMillis) throws IOException {
        int size = addresses.size();
        if (size == 1) return new RingAllReduce(rank, 1, null, null);
        String next = addresses.get((rank + 1) % size);
        int colon = next.lastIndexOf(':');
        Socket toNext = new Socket();
        toNext.connect(new InetSocketAddress(next.substring(0, colon), Integer.parseInt(next.substring(colon + 1))), timeoutMillis);
        toNext.setTcpNoDelay(true);
        own.setSoTimeout(timeoutMillis);
        Socket fromPrevious;
        try {
            fromPrevious = own.accept();
        } catch (SocketTimeoutException e) {
            toNext.close();
            throw new IOException("rank " + rank + ": rank " + ((rank + size - 1) % size) + " did not connect within " + timeoutMillis + " ms");
        }
        fromPrevious.setTcpNoDelay(true);
        fromPrevious.setSoTimeout(timeoutMillis);
        return new RingAllReduce(rank, size, toNext, fromPrevious);
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void sum(float[] v) {
        if (size == 1) return;
        try {
            for (int s = 0; s < size - 1; s++) {
                exchange(v, rank - s, rank - s - 1, true);
            }
            for (int s = 0; s < size - 1; s++) {
                exchange(v, rank + 1 - s, rank - s, false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("rank " + rank + " lost its ring neighbour in the gradient all-reduce (a worker "
                    + "died or the network failed): " + e.getMessage(), e);
        }
    }

    @Override
    public void sum(double[] v) {
        // The per-step scalars are few: as floats they would lose the loss's digits, so they travel as float pairs.
        float[] hi = new float[v.length], lo = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            hi[i] = (float) v[i];
            lo[i] = (float) (v[i] - hi[i]);
        }
        float[] both = new float[2 * v.length];
        System.arraycopy(hi, 0, both, 0, v.length);
        System.arraycopy(lo, 0, both, v.length, v.length);
        sumExact(both, v);
    }

    /** Sums hi/lo float pairs in double: each rank's pairs are gathered around the ring and added in rank order. */
    private void sumExact(float[] pairs, double[] v) {
        int n = v.length;
        float[] all = new float[pairs.length * size];
        System.arraycopy(pairs, 0, all, rank * pairs.length, pairs.length);
        sum(all); // every other rank's slot is zero here, so the sum is a gather
        for (int i = 0; i < n; i++) {
            double total = 0;
            for (int r = 0; r < size; r++) total += (double) all[r * pairs.length + i] + all[r * pairs.length + n + i];
            v[i] = total;
        }
    }

    /** Sends chunk {@code sendChunk} (mod size) to the next rank while receiving chunk {@code receiveChunk} from the previous. */
    private void exchange(float[] v, int sendChunk, int receiveChunk, boolean add) throws IOException {
        int n = v.length;
        int sFrom = bound(n, Math.floorMod(sendChunk, size)), sTo = bound(n, Math.floorMod(sendChunk, size) + 1);
        int rFrom = bound(n, Math.floorMod(receiveChunk, size)), rTo = bound(n, Math.floorMod(receiveChunk, size) + 1);
        byte[] outBytes = sendBytes((sTo - sFrom) * 4);
        ByteBuffer.wrap(outBytes, 0, (sTo - sFrom) * 4).asFloatBuffer().put(v, sFrom, sTo - sFrom);
        int sendLength = (sTo - sFrom) * 4;
        Future<?> sent = sender.submit(() -> {
            out.write(outBytes, 0, sendLength);
            out.flush();
            return null;
        });
        byte[] inBytes = receiveBytes((rTo - rFrom) * 4);
        in.readFully(inBytes, 0, (rTo - rFrom) * 4);
        var received = ByteBuffer.wrap(inBytes, 0, (rTo - rFrom) * 4).asFloatBuffer();
        if (add) {
            for (int i = rFrom; i < rTo; i++) v[i] += received.get();
        } else {
            received.get(v, rFrom, rTo - rFrom);
        }
        try {
            sent.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    private int bound(int n, int k) {
        return (int) ((long) n * k / size);
    }

    private byte[] sendBytes(int length) {
        if (sendBuffer.length < length) sendBuffer = new byte[length];
        return sendBuffer;
    }

    private byte[] receiveBytes(int length) {
        if (receiveBuffer.length < length) receiveBuffer = new byte[length];
        return receiveBuffer;
    }

    @Override
    public void close() {
        sender.shutdownNow();
        for (Socket s : new Socket[] {toNext, fromPrevious}) {
            if (s == null) continue;
            try {
                s.close();
            } catch (IOException e) {
                // closing a socket of a finished or failed run: nothing left to save
            }
        }
    }
}
