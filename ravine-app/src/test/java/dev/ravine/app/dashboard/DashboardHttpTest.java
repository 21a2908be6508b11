package dev.ravine.app.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.app.cli.Main;
import dev.ravine.app.store.RunEvent;
import dev.ravine.app.store.RunStore;
import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Remedy;
import dev.ravine.doctor.finding.Severity;
import dev.ravine.doctor.repair.RepairAction;
import dev.ravine.train.BatchEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's JSON and server-sent-event endpoints over a run folder written through RunStore as a trainer writes
 * it: the rows, the report data, a stream whose deltas carry exactly the new steps and a finding within a second of
 * its commit, a repair's replayed steps sent again, and the bad inputs (a missing folder, a port in use, a name
 * outside the folder) refused with a message that names them.
 */
class DashboardHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    /** An SSE event as the page's EventSource would get it. */
    private record Event(String name, JsonNode data) {}

    @Test
    void theEndpointsServeARunAndItsStreamSendsEachNewRowOnce() throws Exception {
        Path run = dir.resolve("sweep/trials/a");
        Files.createDirectories(run);
        Files.writeString(run.resolve("config.yaml"), "model:\n  layers:\n    - linear: {out: 4}\n    - relu\ntraining: {epochs: 3}\n");
        try (RunStore store = RunStore.create(run.resolve("run.db")); Dashboard dashboard = Dashboard.start(dir, 0)) {
            store.putMeta(Map.of("status", "running", "config_name", "a"));
            for (int s = 1; s <= 10; s++) store.onBatchEnd(null, step(s, 2.0 / s));
            store.flush();

            JsonNode rows = getJson(dashboard.url().resolve("api/runs"));
            assertEquals(1, rows.size(), rows.toString());
            assertEquals("sweep/trials/a", rows.get(0).path("name").asText());
            assertEquals("running", rows.get(0).path("status").asText());
            assertEquals(10, rows.get(0).path("step").asInt());
            assertEquals("3", rows.get(0).path("epochs").asText(), "the planned epochs, from config.yaml");
            JsonNode data = getJson(dashboard.url().resolve("api/run?name=sweep/trials/a"));
            assertEquals(10, data.path("steps").path("step").size());

            BlockingQueue<Event> events = stream(dashboard.url().resolve("api/run/stream?name=sweep/trials/a"));
            Event first = next(events, "snapshot");
            assertEquals(10, first.data().path("steps").path("loss").size());
            assertTrue(first.data().path("findings_html").asText().contains("No findings"), first.data().toString());

            for (int s = 11; s <= 15; s++) store.onBatchEnd(null, step(s, 2.0 / s));
            store.flush();
            Event delta = next(events, "delta");
            assertEquals(10, delta.data().path("from").asLong(), "a delta starts after the newest step the page has");
            assertEquals("[11,12,13,14,15]", delta.data().path("steps").path("step").toString());

            long committed = System.nanoTime();
            store.opened(new Finding("lr_too_high", "Learning rate too high <b>", Severity.BLOCKING, 12, 15, List.of("0"),
                    List.of("loss rose 3x"), "the step overshoots", List.of(new Remedy("optimizer.lr: 0.1 -> 0.03", "below the limit"))));
            Event finding = next(events, "delta");
            double seconds = (System.nanoTime() - committed) / 1e9;
            assertTrue(seconds < 1.0, "a finding reaches the page within 1 s of its commit: " + seconds + " s");
            assertEquals("lr_too_high", finding.data().path("findings").get(0).path("id").asText());
            assertEquals(0, finding.data().path("steps").path("step").size(), "no step was repeated: " + finding.data());
            String html = finding.data().path("findings_html").asText();
            assertTrue(html.contains("Learning rate too high &lt;b&gt;"), "the finding arrives rendered and escaped: " + html);

            // A repair goes back to step 12 and replays: the next deltas start at 12 until the run is past step 15.
            store.putRepair(new RepairAction(15, "lr_too_high", "optimizer.lr x 0.3", 12, 1.0, 0.3), 9.0);
            store.putEvent(15L, RunEvent.REPAIR, "lr_too_high", "optimizer.lr x 0.3");
            Event repair = next(events, "delta");
            assertEquals(12, repair.data().path("from").asLong(), repair.data().toString());
            assertEquals(1, repair.data().path("repairs").size());
            for (int s = 13; s <= 16; s++) store.onBatchEnd(null, step(s, 0.5 / s));
            store.flush();
            Event replay = next(events, "delta");
            assertEquals(12, replay.data().path("from").asLong(), "the replayed steps are sent again: " + replay.data());
            assertEquals("[13,14,15,16]", replay.data().path("steps").path("step").toString());
            assertEquals(0.5 / 13, replay.data().path("steps").path("loss").get(0).asDouble(), 1e-6, "the replayed loss, not the abandoned one");
            store.onBatchEnd(null, step(17, 0.03));
            store.flush();
            assertEquals(16, next(events, "delta").data().path("from").asLong(), "past the repair's step, deltas follow the newest step again");
        }
    }

    @Test
    void aRunPageOpenedBeforeItsRunStartsWaitsForIt() throws Exception {
        try (Dashboard dashboard = Dashboard.start(dir, 0)) {
            assertEquals(200, get(dashboard.url().resolve("run?name=later")).statusCode(), "the page of a run not started yet");
            BlockingQueue<Event> events = stream(dashboard.url().resolve("api/run/stream?name=later"));
            next(events, "waiting");
            Path run = dir.resolve("later");
            Files.createDirectories(run);
            try (RunStore store = RunStore.create(run.resolve("run.db"))) {
                store.putMeta(Map.of("status", "running"));
                assertEquals("running", next(events, "snapshot").data().path("run").path("status").asText());
            }
        }
    }

    @Test
    void theRunsStreamSendsTheRowsAgainWhenARunChanges() throws Exception {
        Path run = dir.resolve("b");
        Files.createDirectories(run);
        try (RunStore store = RunStore.create(run.resolve("run.db")); Dashboard dashboard = Dashboard.start(dir, 0)) {
            store.putMeta(Map.of("status", "running"));
            BlockingQueue<Event> events = stream(dashboard.url().resolve("api/runs/stream"));
            assertEquals(0, next(events, "runs").data().get(0).path("findings").asInt());
            store.opened(new Finding("dead_relu", "Dead ReLUs", Severity.WARNING, 1, 1, List.of("1"), List.of("90% dead"), "bias", List.of()));
            JsonNode rows = next(events, "runs").data();
            assertEquals("dead_relu", rows.get(0).path("top_finding").path("id").asText(), rows.toString());
        }
    }

    @Test
    void namesOutsideTheFolderAndUnknownRunsAreNotFound() throws Exception {
        Files.writeString(dir.resolve("secret.txt"), "x");
        try (Dashboard dashboard = Dashboard.start(dir.resolve("."), 0)) {
            assertEquals(404, get(dashboard.url().resolve("api/run?name=..%2F" + dir.getFileName())).statusCode());
            assertEquals(404, get(dashboard.url().resolve("run?name=..%2F..%2Fetc")).statusCode());
            assertEquals(404, get(dashboard.url().resolve("api/run?name=nope")).statusCode());
            assertEquals(404, get(dashboard.url().resolve("compare?run=nope&run=nope2")).statusCode());
            assertEquals(400, get(dashboard.url().resolve("compare")).statusCode(), "a comparison needs two runs");
            assertEquals(404, get(dashboard.url().resolve("assets/../secret.txt")).statusCode());
            HttpResponse<String> page = get(dashboard.url());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("/assets/runs.js"), page.body());
            assertEquals(200, get(dashboard.url().resolve("assets/charts.js")).statusCode(), "the report's chart code is served");
        }
    }

    @Test
    void aMissingFolderOrAPortInUseStopsWithExitCode2AndSaysWhatToDo() throws Exception {
        DashboardException missing = assertThrows(DashboardException.class, () -> Dashboard.start(dir.resolve("nope"), 0));
        assertTrue(missing.getMessage().contains("nope") && missing.getMessage().contains("does not exist"), missing.getMessage());
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            String[] out = new String[1];
            assertEquals(2, command(out, "dashboard", dir.toString(), "--port", Integer.toString(port)));
            assertTrue(out[0].contains("port " + port) && out[0].contains("--port"), out[0]);
        }
        String[] out = new String[1];
        assertEquals(2, command(out, "dashboard", dir.resolve("nope").toString()));
        assertTrue(out[0].contains("nope") && out[0].contains("ravine dashboard runs"), out[0]);
        assertEquals(2, command(out, "train", "x.yaml", "--port", "9"));
        assertTrue(out[0].contains("--dashboard"), out[0]);
    }

    private static int command(String[] text, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            code = Main.run(args, o, o);
        }
        text[0] = out.toString(StandardCharsets.UTF_8);
        return code;
    }

    private static BatchEvent step(long step, double loss) {
        return new BatchEvent(step, 0, (int) step - 1, 100, 10, loss, 0.5, 1.0);
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode getJson(URI uri) throws Exception {
        HttpResponse<String> r = get(uri);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    /** Opens an event stream; a daemon thread parses its events into the queue until the server closes it. */
    private static BlockingQueue<Event> stream(URI uri) throws Exception {
        HttpResponse<Stream<String>> r = HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"), r.headers().toString());
        BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            String[] name = {null};
            try {
                r.body().forEach(line -> {
                    if (line.startsWith("event: ")) name[0] = line.substring(7);
                    else if (line.startsWith("data: ")) {
                        try {
                            queue.add(new Event(name[0], JSON.readTree(line.substring(6))));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                });
            } catch (RuntimeException e) {
                // the stream closed when the dashboard stopped
            }
        });
        reader.setDaemon(true);
        reader.start();
        return queue;
    }

    private static Event next(BlockingQueue<Event> events, String name) throws InterruptedException {
        Event e = events.poll(5, TimeUnit.SECONDS);
        assertNotNull(e, "no '" + name + "' event within 5 s");
        assertEquals(name, e.name(), "event " + e.name() + ": " + e.data());
        return e;
    }
}
