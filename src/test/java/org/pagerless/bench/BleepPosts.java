package org.pagerless.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * The load generator's POSTs of one JSON body to one URL, each a request of its own over HTTP/1.1 connections kept for
 * reuse (at most {@code connections}, one per request in flight), on Vert.x's client with one event loop: the bleeps
 * cost the benchmark's JVM, which the box's two cores share with the broker, the app and PostgreSQL, as little as they
 * can. The JDK's {@code HttpClient} hands every exchange between its selector and its workers' threads; at 700
 * bleeps/s its threads were a quarter of the benchmark JVM's CPU (docs/benchmarks.md, stop 53).
 * {@code -Dbench.client=jdk} sends them with the JDK's client as before, for a pair.
 */
final class BleepPosts implements AutoCloseable {
    /** A request's answer: its status and body. */
    record Answer(int status, String body) {
    }

    private final boolean jdk = "jdk".equals(System.getProperty("bench.client", "vertx"));
    private final URI uri;
    private final String authorization;
    private final String body;
    private final Vertx vertx;
    private final io.vertx.core.http.HttpClient client;
    private final HttpClient jdkClient;
    private final HttpRequest jdkRequest;

    BleepPosts(URI uri, String authorization, String body, int connections) {
        this.uri = uri;
        this.authorization = authorization;
        this.body = body;
        if (jdk) {
            vertx = null;
            client = null;
            // HTTP/1.1: the default client upgrades to one HTTP/2 connection, which one server event loop serves alone.
            jdkClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            jdkRequest = HttpRequest.newBuilder(uri).header("Authorization", authorization)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        } else {
            vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
            client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(10_000),
                    new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
            jdkClient = null;
            jdkRequest = null;
        }
    }

    /** Which client sends, for the report. */
    String client() {
        return jdk ? "the JDK's HttpClient (HTTP/1.1)" : "Vert.x's HttpClient (HTTP/1.1, one event loop)";
    }

    /** Sends the body once; completes with the answer, or exceptionally if there was none. */
    CompletableFuture<Answer> post() {
        if (jdk) {
            return jdkClient.sendAsync(jdkRequest, HttpResponse.BodyHandlers.ofString())
                    .thenApply(response -> new Answer(response.statusCode(), response.body()));
        }
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setHost(uri.getHost())
                .setPort(uri.getPort()).setURI(uri.getRawPath()).putHeader("Authorization", authorization)
                .putHeader("Content-Type", "application/json");
        client.request(request)
                .compose(exchange -> exchange.send(Buffer.buffer(body))
                        .compose(response -> response.body().map(b -> new Answer(response.statusCode(), b.toString()))))
                .onComplete(result -> {
                    if (result.succeeded()) {
                        answer.complete(result.result());
                    } else {
                        answer.completeExceptionally(result.cause());
                    }
                });
        return answer;
    }

    @Override
    public void close() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
