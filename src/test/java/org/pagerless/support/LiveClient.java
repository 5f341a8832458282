package org.pagerless.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** An app's live feed, as a phone would hold it open: records every message pushed to it. */
public final class LiveClient implements WebSocket.Listener, AutoCloseable {
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private final WebSocket socket;

    private LiveClient(String baseWs, String header, String value) throws Exception {
        socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .header(header, value)
                .buildAsync(URI.create(baseWs + "/api/v1/live"), this)
                .get(10, TimeUnit.SECONDS);
    }

    public static LiveClient connect(int port, String user) throws Exception {
        String auth = Base64.getEncoder().encodeToString((user + ":" + Api.PASSWORD).getBytes(StandardCharsets.UTF_8));
        return new LiveClient("ws://localhost:" + port, "Authorization", "Basic " + auth);
    }

    /** The live feed opened with other credentials: a bearer token, or an app session's {@code Cookie} header. */
    public static LiveClient connect(int port, String header, String value) throws Exception {
        return new LiveClient("ws://localhost:" + port, header, value);
    }

    public List<String> messages() {
        return messages;
    }

    /** Whether a message of this event type about this task has arrived. */
    public boolean received(String eventType, String taskId) {
        return messages.stream().anyMatch(m -> m.contains("\"type\":\"" + eventType + "\"") && m.contains(taskId));
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            messages.add(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
}
