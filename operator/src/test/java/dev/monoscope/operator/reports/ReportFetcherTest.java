package dev.monoscope.operator.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A worker's report endpoint that answers too much, or too slowly, cannot hold or flood the operator. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReportFetcherTest {

    private HttpServer server;
    private final CountDownLatch release = new CountDownLatch(1);
    private final ReportFetcher fetcher = new ReportFetcher(Duration.ofSeconds(2), ReportFetcher.MAX_BODY);

    @BeforeEach
    void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/small", exchange -> {
            byte[] body = "{\"version\":1}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        // 2 MiB of valid JSON (spaces are allowed between tokens), its length declared or not.
        server.createContext("/huge", exchange -> {
            boolean declared = exchange.getRequestURI().getQuery() != null;
            exchange.sendResponseHeaders(200, declared ? 2 * ReportFetcher.MAX_BODY + 2 : 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write('{');
                byte[] spaces = " ".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < 32; i++) {
                    out.write(spaces);
                }
                out.write('}');
            } catch (java.io.IOException e) {
                // the operator hung up, as it should
            }
        });
        // Headers and the first byte of the body, then nothing.
        server.createContext("/stalled", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write('{');
            exchange.getResponseBody().flush();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Test
    void aReportWithinTheLimitsIsRead() throws Exception {
        assertThat(new String(fetcher.get(uri("/small"), Duration.ofSeconds(5)).get(), StandardCharsets.UTF_8))
                .isEqualTo("{\"version\":1}");
    }

    @Test
    void aBodyOverOneMebibyteIsRefusedWhetherItsLengthIsDeclaredOrNot() {
        for (String path : new String[] {"/huge", "/huge?declared"}) {
            assertThatThrownBy(
                            () -> fetcher.get(uri(path), Duration.ofSeconds(10)).get())
                    .as(path)
                    .isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("over the limit of " + ReportFetcher.MAX_BODY);
        }
    }

    @Test
    void aBodyThatStallsAfterTheHeadersEndsAtTheDeadline() {
        long start = System.nanoTime();
        assertThatThrownBy(() ->
                        fetcher.get(uri("/stalled"), Duration.ofSeconds(1)).get())
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("deadline");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
}
