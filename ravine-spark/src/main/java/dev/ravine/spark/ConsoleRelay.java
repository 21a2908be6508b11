package dev.ravine.spark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Rank 0's terminal lines (header, progress, the doctor's findings, the outcome), sent to the driver's terminal as
 * they are printed: rank 0 runs in an executor, whose own output only reaches a log file on its worker.
 */
final class ConsoleRelay implements AutoCloseable {
    private final ServerSocket server;
    private final Thread copier;

    private ConsoleRelay(ServerSocket server, PrintWriter out) {
        this.server = server;
        this.copier = new Thread(() -> copy(out), "ravine-console-relay");
        copier.setDaemon(true);
        copier.start();
    }

    /** Listens on the driver for rank 0's lines and prints each one to {@code out}. */
    static ConsoleRelay open(PrintWriter out) {
        try {
            return new ConsoleRelay(new ServerSocket(0), out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a port on the driver for rank 0's output: " + e.getMessage(), e);
        }
    }

    int port() {
        return server.getLocalPort();
    }

    /** Rank 0's side: a writer whose lines appear on the driver's terminal. */
    static PrintWriter connect(String host, int port) throws IOException {
        Socket socket = new Socket(host, port);
        return new PrintWriter(new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8), true);
    }

    private void copy(PrintWriter out) {
        try (Socket s = server.accept();
             BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                out.println(line);
                out.flush();
            }
        } catch (IOException e) {
            // the relay closes when the run ends or rank 0 is lost; the driver reports how it ended
        }
    }

    /** Waits briefly for the last lines, then stops listening. */
    @Override
    public void close() {
        try {
            copier.join(2000);
            server.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // nothing more to read
        }
    }
}
