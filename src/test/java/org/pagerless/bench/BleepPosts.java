package org.pagerless.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * The load generators' POSTs of JSON bleeps, each a request of its own over HTTP/1.1 connections kept for reuse (at
 * most {@code connections} to a server, one per request in flight), on Vert.x's client with one event loop: the bleeps
 * cost the benchmark's JVM, which the box's two cores share with the broker, the app and PostgreSQL, as little as they
 * can. The JDK's {@code HttpClient} hands every exchange between its selector's and its workers' threads; at 700
 * bleeps/s its threads were a quarter of the benchmark JVM's CPU (docs/benchmarks.md, stop 53). {@code
 * -Dbench.client=jdk} sends them with the JDK's client (HTTP/1.1), for a pair.
 */
final class BleepPosts implements AutoCloseable {
    /** A request's answer: its status and body. */
    record Answer(int status, String body) {
    }

    /** One request, ready for either client: a fixed one is made once and sent as often as wanted. */
    record Request(HttpRequest jdk, RequestOptions vertx, Buffer body) {
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final boolean jdk = "jdk".equals(System.getProperty("bench.client", "vertx"));
    private final Vertx vertx;
    private final io.vertx.core.http.HttpClient client;
    private final HttpClient jdkClient;

    BleepPosts(int connections) {
        if (jdk) {
            vertx = null;
            client = null;
            // HTTP/1.1: the default client upgrades to one HTTP/2 connection, which one server event loop serves alone.
            jdkClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        } else {
            vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
            client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(10_000),
                    new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
            jdkClient = null;
        }
    }

    /** Which client sends, for the report. */
    String client() {
        return jdk ? "the JDK's HttpClient (HTTP/1.1)" : "Vert.x's HttpClient (HTTP/1.1, one event loop)";
    }

    /** A POST of {@code body} as JSON to {@code uri}, with an {@code Idempotency-Key} unless that is null. */
    Request request(URI uri, String authorization, String body, String idempotencyKey) {
        if (jdk) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                    .header("Authorization", authorization).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (idempotencyKey != null) {
                request.header("Idempotency-Key", idempotencyKey);
            }
            return new Request(request.build(), null, null);
        }
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setHost(uri.getHost())
                .setPort(uri.getPort()).setURI(uri.getRawPath()).setIdleTimeout(TIMEOUT.toMillis())
                .putHeader("Authorization", authorization).putHeader("Content-Type", "application/json");
        if (idempotencyKey != null) {
            request.putHeader("Idempotency-Key", idempotencyKey);
        }
        return new Request(null, request, Buffer.buffer(body));
    }

    /** Sends it; completes with the answer, or exceptionally if there was none. */
    CompletableFuture<Answer> post(Request request) {
        if (jdk) {
            return jdkClient.sendAsync(request.jdk(), HttpResponse.BodyHandlers.ofString())
                    .thenApply(response -> new Answer(response.statusCode(), response.body()));
        }
        return client.request(request.vertx())
                .compose(exchange -> exchange.send(request.body())
                        .compose(response -> response.body().map(b -> new Answer(response.statusCode(), b.toString()))))
                .toCompletionStage().toCompletableFuture();
    }

    @Override
    public void close() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
