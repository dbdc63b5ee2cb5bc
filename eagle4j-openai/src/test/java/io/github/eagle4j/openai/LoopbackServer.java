package io.github.eagle4j.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1 (JDK {@code HttpServer}, port chosen by the OS) with JSON routes, a record of every
 * request and per-request faults: a delay, a dropped connection, an HTTP status, a malformed body, a body that trickles.
 */
class LoopbackServer implements AutoCloseable {
    /** What to do with one request. */
    record Fault(String kind, int status, long millis, String retryAfter) {
        static final Fault NONE = new Fault("none", 0, 0, null);

        static Fault delay(long millis) {
            return new Fault("delay", 0, millis, null);
        }

        static Fault drop() {
            return new Fault("drop", 0, 0, null);
        }

        static Fault status(int status) {
            return new Fault("status", status, 0, null);
        }

        static Fault status(int status, String retryAfter) {
            return new Fault("status", status, 0, retryAfter);
        }

        static Fault malformed() {
            return new Fault("malformed", 200, 0, null);
        }

        /** Headers at once, then the body one byte every {@code millis}. */
        static Fault slowBody(long millis) {
            return new Fault("slow-body", 200, millis, null);
        }
    }

    /** Chooses a fault from the path and the count of requests on that path so far (1 = first). */
    interface FaultPlan {
        Fault next(String path, int count);
    }

    /** A JSON route: request body (or null for GET) to answer; throw {@link Status} for an HTTP error. */
    interface Route {
        JsonNode answer(JsonNode body, HttpExchange exchange) throws Exception;
    }

    /** An HTTP error answer with a JSON body. */
    static final class Status extends Exception {
        private static final long serialVersionUID = 1L;
        final int code;

        Status(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    /**
     * One request as received.
     *
     * @param nanos arrival time
     */
    record Received(String method, String path, byte[] body, Map<String, List<String>> headers, long nanos) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    final List<Received> received = new CopyOnWriteArrayList<>();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    volatile FaultPlan faults = (p, n) -> Fault.NONE;
    private volatile boolean stopped;

    LoopbackServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "loopback-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void route(String path, Route route) {
        routes.put(path, route);
    }

    int count(String path) {
        AtomicInteger c = counts.get(path);
        return c == null ? 0 : c.get();
    }

    List<Received> received(String path) {
        return received.stream().filter(r -> r.path.equals(path)).toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            String path = ex.getRequestURI().getPath();
            byte[] body = ex.getRequestBody().readAllBytes();
            received.add(new Received(ex.getRequestMethod(), path, body, Map.copyOf(ex.getRequestHeaders()), System.nanoTime()));
            int count = counts.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
            Fault f = faults.next(path, count);
            switch (f.kind()) {
                case "drop" -> {
                    ex.close(); // no status line: the client sees the connection close
                    return;
                }
                case "status" -> {
                    if (f.retryAfter() != null) {
                        ex.getResponseHeaders().add("Retry-After", f.retryAfter());
                    }
                    send(ex, f.status(), ("{\"error\":{\"message\":\"injected " + f.status() + "\",\"code\":" + f.status() + "}}")
                            .getBytes(StandardCharsets.UTF_8));
                    return;
                }
                case "malformed" -> {
                    send(ex, 200, "{\"choices\": [".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                case "delay" -> sleep(f.millis());
                default -> {
                }
            }
            Route route = routes.get(path);
            if (route == null) {
                send(ex, 404, "{\"detail\":\"Not Found\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            byte[] out;
            int status = 200;
            try {
                JsonNode in = body.length == 0 ? null : Json.MAPPER.readTree(body);
                out = Json.bytes(route.answer(in, ex));
            } catch (Status s) {
                status = s.code;
                out = Json.bytes(Json.object().set("error", Json.object().put("message", s.getMessage()).put("code", s.code)));
            } catch (Exception e) {
                status = 500;
                out = Json.bytes(Json.object().set("error", Json.object().put("message", "server error: " + e).put("code", 500)));
            }
            if (stopped) {
                ex.close();
                return;
            }
            if (f.kind().equals("slow-body")) {
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(200, out.length);
                try (OutputStream os = ex.getResponseBody()) {
                    for (byte b : out) {
                        os.write(b);
                        os.flush();
                        sleep(f.millis());
                    }
                }
                return;
            }
            send(ex, status, out);
        } catch (IOException e) {
            // the client went away (timeouts, a stopped server): nothing to answer
        } finally {
            inFlight.decrementAndGet();
            ex.close();
        }
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(body);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops at once: the port closes and requests in progress lose their connection. */
    void kill() {
        stopped = true;
        server.stop(0);
        executor.shutdownNow();
    }

    @Override
    public void close() {
        if (!stopped) {
            kill();
        }
    }
}
