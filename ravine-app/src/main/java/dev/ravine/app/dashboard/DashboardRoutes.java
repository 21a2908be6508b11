package dev.ravine.app.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.app.compare.ComparePage;
import dev.ravine.app.compare.RunComparison;
import dev.ravine.app.report.ReportData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The dashboard's pages, JSON and event streams over one folder of runs, as Jetty core handler routes.
 * <pre>
 * GET /                          the runs page             GET /api/runs               the runs' rows (JSON)
 * GET /run?name=RUN              a run's page              GET /api/run?name=RUN       the run's report data (JSON)
 * GET /compare?run=A&amp;run=B...    the comparison page       GET /api/runs/stream        the rows, again on every change (SSE "runs")
 * GET /assets/NAME               scripts and styles        GET /api/run/stream?name=RUN  "snapshot", then a "delta" per change (SSE)
 * </pre>
 * RUN is a run's folder relative to the dashboard's folder ({@link RunFolders}). An event stream polls run.db every
 * {@value #RUN_POLL_MS} ms (the runs page's every {@value #RUNS_POLL_MS} ms) on a virtual thread of its own.
 */
final class DashboardRoutes extends Handler.Abstract {
    static final long RUN_POLL_MS = 250;
    static final long RUNS_POLL_MS = 1000;
    static final long KEEP_ALIVE_MS = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunFolders folders;
    private final RunRows rows;
    private final DashboardAssets assets = new DashboardAssets();
    /** Counted down when the server stops: every stream's wait between polls ends at once. */
    private final CountDownLatch closing = new CountDownLatch(1);

    DashboardRoutes(RunFolders folders) {
        this.folders = folders;
        this.rows = new RunRows(folders);
    }

    /** Ends every event stream at its next poll. */
    void closeStreams() {
        closing.countDown();
    }

    /** Waits {@code millis} between two polls; false when the server stops meanwhile. */
    private boolean pause(long millis) throws InterruptedException {
        return !closing.await(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        Fields query = Request.extractQueryParameters(request);
        try {
            switch (path) {
                case "/" -> send(response, callback, 200, "text/html; charset=utf-8", DashboardPages.runs(folders.root().toString()));
                case "/run" -> withPlace(query, response, callback, folder -> send(response, callback, 200, "text/html; charset=utf-8",
                        DashboardPages.run(folders.name(folder))));
                case "/compare" -> compare(query, response, callback);
                case "/api/runs" -> send(response, callback, 200, "application/json", json(rows.rows()));
                case "/api/run" -> withRun(query, response, callback, folder -> send(response, callback, 200, "application/json",
                        json(ReportData.read(folder))));
                case "/api/runs/stream" -> Thread.ofVirtual().name("dashboard-runs-stream").start(() -> runsStream(response, callback));
                case "/api/run/stream" -> withPlace(query, response, callback, folder -> Thread.ofVirtual().name("dashboard-run-stream")
                        .start(() -> runStream(folder, response, callback)));
                default -> asset(path, response, callback);
            }
        } catch (RuntimeException e) {
            // a run folder that cannot be read (damaged run.db, a file removed meanwhile): say so, the server goes on
            send(response, callback, 500, "text/plain; charset=utf-8", "cannot serve " + path + ": " + e.getMessage() + "\n");
        }
        return true;
    }

    private interface RunAction {
        void accept(Path folder);
    }

    private void withRun(Fields query, Response response, Callback callback, RunAction action) {
        String name = query.getValue("name");
        Path folder = folders.resolve(name);
        if (folder == null) {
            send(response, callback, 404, "text/plain; charset=utf-8", "no run named '" + name + "' under " + folders.root()
                    + " (a run is a folder holding run.db; see the runs page at /)\n");
            return;
        }
        action.accept(folder);
    }

    /** As {@link #withRun}, for a run that may not have started yet (its page waits for it). */
    private void withPlace(Fields query, Response response, Callback callback, RunAction action) {
        String name = query.getValue("name");
        Path folder = folders.place(name);
        if (folder == null) {
            send(response, callback, 404, "text/plain; charset=utf-8", "'" + name + "' is not a run folder's name under " + folders.root()
                    + " (a path inside it, at most " + RunFolders.DEPTH + " levels down; see the runs page at /)\n");
            return;
        }
        action.accept(folder);
    }

    private void compare(Fields query, Response response, Callback callback) {
        List<Path> runs = new ArrayList<>();
        for (String name : query.getValuesOrEmpty("run")) {
            Path folder = folders.resolve(name);
            if (folder == null) {
                send(response, callback, 404, "text/plain; charset=utf-8", "no run named '" + name + "' under " + folders.root() + "\n");
                return;
            }
            runs.add(folder);
        }
        if (runs.size() < 2) {
            send(response, callback, 400, "text/plain; charset=utf-8", "compare takes two or more runs: /compare?run=A&run=B (tick them "
                    + "on the runs page at /)\n");
            return;
        }
        String page = ComparePage.render(RunComparison.of(runs));
        // The comparison page as ravine compare --html writes it, with a way back to the runs.
        page = page.replaceFirst("<body>\n", "<body>\n<p class=\"crumbs\" style=\"max-width:1140px;margin:12px auto 0;padding:0 20px\">"
                + "<a href=\"/\">all runs</a></p>\n");
        send(response, callback, 200, "text/html; charset=utf-8", page);
    }

    private void asset(String path, Response response, Callback callback) {
        DashboardAssets.Asset a = path.startsWith("/assets/") ? assets.get(path.substring("/assets/".length())) : null;
        if (a == null) {
            send(response, callback, 404, "text/plain; charset=utf-8", "not found: " + path + " (the runs page is at /)\n");
            return;
        }
        send(response, callback, 200, a.contentType(), a.text());
    }

    private void runStream(Path folder, Response response, Callback callback) {
        EventStream events = new EventStream(response);
        try {
            if (!awaitRun(folder, events)) {
                callback.succeeded();
                return;
            }
        } catch (IOException | InterruptedException e) {
            callback.failed(e);
            return;
        }
        try (RunFeed feed = new RunFeed(folder)) {
            RunFeed.Update first = feed.snapshot();
            events.send(first.kind(), json(first.data()));
            long lastWrite = System.nanoTime();
            while (pause(RUN_POLL_MS)) {
                RunFeed.Update u = feed.poll();
                if (u != null) {
                    events.send(u.kind(), json(u.data()));
                    lastWrite = System.nanoTime();
                } else if (System.nanoTime() - lastWrite > KEEP_ALIVE_MS * 1_000_000) {
                    events.keepAlive();
                    lastWrite = System.nanoTime();
                }
            }
            callback.succeeded();
        } catch (IOException | InterruptedException | RuntimeException e) {
            callback.failed(e); // the page went away, the server stops, or the run folder went away
        }
    }

    /** Waits for the run's run.db (a page opened before its run started), with "waiting" events; false if the server stops first. */
    private boolean awaitRun(Path folder, EventStream events) throws IOException, InterruptedException {
        long lastWrite = 0;
        do {
            if (Files.isRegularFile(folder.resolve("run.db"))) return true;
            if (System.nanoTime() - lastWrite > KEEP_ALIVE_MS * 1_000_000 || lastWrite == 0) {
                events.send("waiting", "{}");
                lastWrite = System.nanoTime();
            }
        } while (pause(RUN_POLL_MS));
        return false;
    }

    private void runsStream(Response response, Callback callback) {
        try {
            EventStream events = new EventStream(response);
            String last = null;
            long lastWrite = System.nanoTime();
            do {
                String now = json(rows.rows());
                if (!now.equals(last)) {
                    events.send("runs", now);
                    last = now;
                    lastWrite = System.nanoTime();
                } else if (System.nanoTime() - lastWrite > KEEP_ALIVE_MS * 1_000_000) {
                    events.keepAlive();
                    lastWrite = System.nanoTime();
                }
            } while (pause(RUNS_POLL_MS));
            callback.succeeded();
        } catch (IOException | InterruptedException | RuntimeException e) {
            callback.failed(e);
        }
    }

    private static void send(Response response, Callback callback, int status, String contentType, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        Content.Sink.write(response, true, body, callback);
    }

    private static String json(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }
}
