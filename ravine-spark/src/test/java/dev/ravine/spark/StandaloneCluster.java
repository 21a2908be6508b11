package dev.ravine.spark;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Spark standalone cluster on localhost, started from the Spark jars on this JVM's class path: a master and
 * {@code workers} workers of one core each, every one a child JVM (org.apache.spark.deploy.master.Master and
 * deploy.worker.Worker), each worker launching its executors as its own children. SPARK_HOME is a folder with an empty
 * jars/ (the launcher requires one; executors load everything from spark.executor.extraClassPath, this JVM's class path).
 */
final class StandaloneCluster implements AutoCloseable {
    private final Process master;
    private final List<Process> workers = new ArrayList<>();
    private final String url;

    StandaloneCluster(Path dir, int workerCount, String workerMemory) throws Exception {
        Path home = Files.createDirectories(dir.resolve("spark-home"));
        Files.createDirectories(home.resolve("jars"));
        int port = freePort();
        url = "spark://127.0.0.1:" + port;
        master = start(dir.resolve("master.log"), home, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                String.valueOf(port), "--webui-port", "0");
        waitForPort(port, 60_000);
        for (int i = 0; i < workerCount; i++) {
            workers.add(start(dir.resolve("worker-" + i + ".log"), home, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                    "--cores", "1", "--memory", workerMemory, "--webui-port", "0", "--work-dir", dir.resolve("work-" + i).toString(), url));
        }
    }

    String url() {
        return url;
    }

    /** Kills worker {@code i}'s executors, as a machine that dies takes its executor with it; the worker stays. */
    void killExecutorsOf(int i) {
        workers.get(i).descendants().forEach(ProcessHandle::destroyForcibly);
    }

    /** Whether worker {@code i} runs an executor now. */
    boolean hasExecutor(int i) {
        return workers.get(i).descendants().findAny().isPresent();
    }

    private static Process start(Path log, Path home, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", home.toString());
        env.put("SPARK_SCALA_VERSION", "2.13"); // else the launcher looks for a Spark source build to learn it
        env.put("JAVA_HOME", System.getProperty("java.home"));
        return pb.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void waitForPort(int port, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("the Spark master did not open port " + port + " within " + millis + " ms");
    }

    @Override
    public void close() {
        for (Process w : workers) {
            w.descendants().forEach(ProcessHandle::destroyForcibly);
            w.destroyForcibly();
        }
        master.destroyForcibly();
    }
}
