package dev.ravine.app.dashboard;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;

/**
 * A server-sent event stream (text/event-stream) over one Jetty response: each event a name and one line of JSON.
 * Writes block until sent; a page that went away makes them throw, which ends the stream's loop.
 */
final class EventStream {
    private final Response response;

    EventStream(Response response) {
        this.response = response;
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
    }

    /** One event; {@code json} must be a single line (Jackson writes it so). */
    void send(String event, String json) throws IOException {
        write("event: " + event + "\ndata: " + json + "\n\n");
    }

    /** A comment line: keeps the connection from idling out and finds a page that went away. */
    void keepAlive() throws IOException {
        write(": keep-alive\n\n");
    }

    private void write(String text) throws IOException {
        Content.Sink.write(response, false, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }
}
