package dev.monoscope.sandbox;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;

/**
 * A stand-in container for the pod runner's own tests: serves the worker's health endpoints on POD_IP:8080 and,
 * at /env, the environment it was given.
 */
public final class FakeWorker {

    public static void main(String[] args) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(System.getenv("POD_IP"), 8080), 0);
        server.createContext("/q/health/ready", exchange -> answer(exchange, 200, "{\"status\":\"UP\"}"));
        server.createContext("/q/health/live", exchange -> answer(exchange, 200, "{\"status\":\"UP\"}"));
        server.createContext(
                "/env",
                exchange -> answer(
                        exchange,
                        200,
                        String.valueOf(new TreeMap<>(System.getenv())) + " args=" + String.join(",", args)));
        server.start();
        System.out.println("fake worker listening on " + System.getenv("POD_IP") + ":8080");
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
