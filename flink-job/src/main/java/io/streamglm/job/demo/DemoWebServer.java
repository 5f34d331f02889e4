package io.streamglm.job.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** A local page plotting the coefficient trajectories ({@code /}) from the refits so far ({@code /data.json}). */
final class DemoWebServer implements AutoCloseable {
    private final HttpServer server;

    DemoWebServer(int port, Supplier<String> data) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the demo page on port " + port + ": " + e.getMessage(), e);
        }
        byte[] page = page();
        server.createContext("/", ex -> {
            if (ex.getRequestURI().getPath().equals("/data.json")) {
                send(ex, "application/json", data.get().getBytes(StandardCharsets.UTF_8));
            } else {
                send(ex, "text/html; charset=utf-8", page);
            }
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static byte[] page() {
        try (InputStream in = DemoWebServer.class.getResourceAsStream("/io/streamglm/job/demo/index.html")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void send(HttpExchange ex, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().add("Content-Type", type);
        ex.getResponseHeaders().add("Cache-Control", "no-store");
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override public void close() {
        server.stop(0);
    }
}
