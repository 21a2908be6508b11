package dev.ravine.app.dashboard;

import java.net.BindException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * {@code ravine dashboard}: a local web server (Jetty) over a folder of runs, on 127.0.0.1 only. Its pages follow the
 * runs as they train through server-sent events ({@link DashboardRoutes}); it reads run.db only through RunRecords,
 * which the trainer's WAL mode keeps safe to read while it writes.
 */
public final class Dashboard implements AutoCloseable {
    /** The port tried when none is given; when it is taken, any free port. */
    public static final int DEFAULT_PORT = 8470;

    private final Server server;
    private final DashboardRoutes routes;
    private final RunFolders folders;
    private final int port;

    private Dashboard(Server server, DashboardRoutes routes, RunFolders folders, int port) {
        this.server = server;
        this.routes = routes;
        this.folders = folders;
        this.port = port;
    }

    /**
     * Serves {@code folder}: on {@code port}, or for null on {@value #DEFAULT_PORT} if free, else on any free port (0
     * asks for any free port).
     */
    public static Dashboard start(Path folder, Integer port) {
        Path root = folder.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new DashboardException((Files.exists(root) ? "the runs folder " + folder + " is a file" : "the runs folder " + folder
                    + " does not exist") + "; give the folder that holds the run folders (ravine train writes them to runs/), e.g. "
                    + "ravine dashboard runs", null);
        }
        if (port != null && (port < 0 || port > 65535)) {
            throw new DashboardException("--port " + port + " is not a port; give 1-65535, or 0 for any free port", null);
        }
        if (port != null) return listen(root, port);
        try {
            return listen(root, DEFAULT_PORT);
        } catch (DashboardException taken) {
            return listen(root, 0);
        }
    }

    private static Dashboard listen(Path root, int port) {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        RunFolders folders = new RunFolders(root);
        DashboardRoutes routes = new DashboardRoutes(folders);
        server.setHandler(routes);
        server.setStopTimeout(2000);
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server);
            if (isBindFailure(e)) {
                throw new DashboardException("port " + port + " on 127.0.0.1 is in use (another dashboard or program has it); choose "
                        + "another with --port N, or --port 0 for any free port", e);
            }
            throw new DashboardException("cannot start the dashboard on port " + port + ": " + e.getMessage(), e);
        }
        return new Dashboard(server, routes, folders, connector.getLocalPort());
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) if (t instanceof BindException) return true;
        return false;
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception ignored) {
            // it never started: nothing to stop
        }
    }

    public int port() {
        return port;
    }

    /** The runs page. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    /** The page of the run in {@code runFolder} (a folder under the dashboard's). */
    public URI runUrl(Path runFolder) {
        return url().resolve("run?name=" + java.net.URLEncoder.encode(folders.name(runFolder), java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Blocks until the server stops (Ctrl-C ends the process). */
    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public void close() {
        routes.closeStreams();
        try {
            server.stop();
        } catch (TimeoutException e) {
            // Jetty stops its connectors and handlers before it reports that the graceful wait ran out: the server is
            // down, only a page's event stream (which never ends by itself) was cut instead of closed.
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the dashboard: " + e.getMessage(), e);
        }
    }
}
