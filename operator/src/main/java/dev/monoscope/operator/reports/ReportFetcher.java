package dev.monoscope.operator.reports;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One GET of a worker's report, bounded as nothing a worker sends is trusted: the body is at most
 * {@code maxBody} bytes (refused from its Content-Length, or as soon as more arrives), and the whole exchange,
 * body included, ends within {@code deadline} (the HttpClient's own timeout stops at the response headers).
 */
public final class ReportFetcher {

    public static final int MAX_BODY = 1 << 20;

    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "report-deadline");
        t.setDaemon(true);
        return t;
    });

    private final HttpClient http;
    private final int maxBody;

    public ReportFetcher(Duration connectTimeout, int maxBody) {
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.maxBody = maxBody;
    }

    /** The body of a 200 answer; fails on any other status, an oversized body or the deadline. */
    CompletableFuture<byte[]> get(URI uri, Duration deadline) {
        return fetch(uri, deadline).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw new java.util.concurrent.CompletionException(
                        new IOException("HTTP " + response.statusCode() + " from " + uri));
            }
            return response.body();
        });
    }

    /** The whole answer, whatever its status, within the same limits (the mosaic's thumbnails and levels). */
    public CompletableFuture<HttpResponse<byte[]>> fetch(URI uri, Duration deadline) {
        long deadlineNanos = System.nanoTime() + deadline.toNanos();
        HttpRequest request =
                HttpRequest.newBuilder(uri).GET().timeout(deadline).build();
        return http.sendAsync(request, info -> new BoundedBody(info, maxBody, deadlineNanos));
    }

    /** Collects a body up to a size, cancelling the exchange past it or past the deadline. */
    private static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final long declared;
        private final int maxBody;
        private final long deadlineNanos;
        private Flow.Subscription subscription;
        private ScheduledFuture<?> timer;

        BoundedBody(HttpResponse.ResponseInfo info, int maxBody, long deadlineNanos) {
            this.declared = info.headers().firstValueAsLong("content-length").orElse(-1);
            this.maxBody = maxBody;
            this.deadlineNanos = deadlineNanos;
        }

        @Override
        public synchronized void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (declared > maxBody) {
                fail(new IOException("report body of " + declared + " bytes is over the limit of " + maxBody));
                return;
            }
            long left = Math.max(0, deadlineNanos - System.nanoTime());
            timer = DEADLINES.schedule(
                    () -> fail(new HttpTimeoutException("report body not complete within its deadline")),
                    left,
                    TimeUnit.NANOSECONDS);
            s.request(Long.MAX_VALUE);
        }

        @Override
        public synchronized void onNext(List<ByteBuffer> buffers) {
            if (body.isDone()) {
                return;
            }
            for (ByteBuffer b : buffers) {
                if (bytes.size() + b.remaining() > maxBody) {
                    fail(new IOException("report body over the limit of " + maxBody + " bytes"));
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                bytes.writeBytes(chunk);
            }
        }

        @Override
        public synchronized void onError(Throwable error) {
            stopTimer();
            body.completeExceptionally(error);
        }

        @Override
        public synchronized void onComplete() {
            stopTimer();
            body.complete(bytes.toByteArray());
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        private synchronized void fail(IOException error) {
            stopTimer();
            if (body.completeExceptionally(error) && subscription != null) {
                subscription.cancel();
            }
        }

        private void stopTimer() {
            if (timer != null) {
                timer.cancel(false);
            }
        }
    }
}
