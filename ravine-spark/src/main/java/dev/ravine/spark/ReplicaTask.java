package dev.ravine.spark;

import dev.ravine.app.run.ReplicaRun;
import dev.ravine.train.DataParallel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.List;
import org.apache.spark.BarrierTaskContext;

/**
 * The body of one barrier task of {@code ravine train --spark}: open a port, exchange every rank's address with
 * {@link BarrierTaskContext#allGather}, join the ring, then train as rank 0 (the run folder, store, doctor and
 * checkpoints; its lines relayed to the driver) or as a follower.
 */
final class ReplicaTask {
    private ReplicaTask() {}

    static StepFigures run(ReplicaJob job) {
        BarrierTaskContext ctx = BarrierTaskContext.get();
        int rank = ctx.partitionId();
        String address = ctx.getTaskInfos()[rank].address();
        String host = address.contains(":") ? address.substring(0, address.lastIndexOf(':')) : address;
        try (ServerSocket own = new ServerSocket(0)) {
            List<String> ring = List.of(ctx.allGather(host + ":" + own.getLocalPort()));
            try (RingAllReduce group = RingAllReduce.connect(rank, ring, own, job.ringTimeoutMillis())) {
                TimedReplicaGroup timed = new TimedReplicaGroup(group);
                DataParallel replicas = new DataParallel(timed);
                int exitCode = 0;
                if (rank == 0) {
                    try (PrintWriter out = ConsoleRelay.connect(job.driverHost(), job.consolePort())) {
                        exitCode = ReplicaRun.lead(job.request(), out, replicas).exitCode();
                    }
                } else {
                    ReplicaRun.follow(job.request(), replicas);
                }
                return StepFigures.of(rank, exitCode, timed.steps(), timed.floatsPerStep());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("rank " + rank + " could not join the all-reduce ring: " + e.getMessage(), e);
        }
    }
}
