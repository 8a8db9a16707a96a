package dev.monoscope.worker.source;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * One HTTP(S) GET of something small (a playlist) that a hostile origin cannot stretch: the whole response, headers
 * and body and every redirect, within one deadline; the body within a size limit; a stop request honoured within
 * 50 ms. Redirects are followed here, not by the client, so that credentials go only to their own origin.
 */
public final class BoundedGet {

    static final int MAX_REDIRECTS = 5;
    private static final long POLL_NANOS = 50_000_000L;
    private static final Map<TlsSettings, HttpClient> CLIENTS = new ConcurrentHashMap<>();

    private BoundedGet() {}

    /** A body (empty when only counted) and its size, and the URL it finally came from (after redirects). */
    public record Response(URI uri, byte[] body, long size) {}

    /**
     * Fetches {@code uri}.
     *
     * @param what     what is fetched, for messages ("playlist")
     * @param deadline for the whole exchange
     * @param maxBytes the largest body accepted
     * @param stopped  polled while waiting: true ends the wait at once
     * @throws SourceFetchException for a failure, a status other than 200, a stall, a body over the limit, or a stop
     */
    public static Response get(
            URI uri,
            String what,
            SourceCredentials credentials,
            TlsSettings tls,
            Duration deadline,
            long maxBytes,
            BooleanSupplier stopped)
            throws SourceFetchException {
        return get(uri, what, credentials, tls, deadline, maxBytes, stopped, true);
    }

    /**
     * As {@link #get}, but the body is only counted, not kept: a segment fetched to time its delivery (network time
     * into a bounded buffer, not the decoder's pace).
     */
    public static Response count(
            URI uri,
            String what,
            SourceCredentials credentials,
            TlsSettings tls,
            Duration deadline,
            long maxBytes,
            BooleanSupplier stopped)
            throws SourceFetchException {
        return get(uri, what, credentials, tls, deadline, maxBytes, stopped, false);
    }

    private static Response get(
            URI uri,
            String what,
            SourceCredentials credentials,
            TlsSettings tls,
            Duration deadline,
            long maxBytes,
            BooleanSupplier stopped,
            boolean keep)
            throws SourceFetchException {
        HttpClient client = client(tls); // the first one takes a while to make: not the origin's time
        long end = System.nanoTime() + deadline.toNanos();
        URI at = uri;
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(at)
                    .timeout(deadline)
                    .header("User-Agent", "monoscope")
                    .GET();
            credentials.authorizationFor(at).ifPresent(a -> request.header("Authorization", a));
            LimitedBody body = new LimitedBody(maxBytes, keep);
            CompletableFuture<HttpResponse<byte[]>> exchange = client.sendAsync(
                    request.build(), info -> info.statusCode() == 200 ? body : BodySubscribers.replacing(null));
            HttpResponse<byte[]> response = await(exchange, body, end, stopped, what, at);
            int status = response.statusCode();
            if (status == 200) {
                return new Response(at, response.body(), body.size);
            }
            String location = response.headers().firstValue("Location").orElse(null);
            if (status / 100 != 3 || location == null) {
                throw new SourceFetchException(
                        ErrorCategory.ofHttpStatus(status),
                        what + " " + SourceUrl.redact(at.toString()) + ": HTTP " + status);
            }
            if (hop >= MAX_REDIRECTS) {
                throw new SourceFetchException(
                        ErrorCategory.INVALID_DATA, what + ": more than " + MAX_REDIRECTS + " redirects");
            }
            at = at.resolve(location.trim());
            String scheme = at.getScheme() == null ? "" : at.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new SourceFetchException(
                        ErrorCategory.INVALID_DATA,
                        what + ": the protocol allow-list refused a redirect to " + SourceUrl.redact(at.toString()));
            }
        }
    }

    private static HttpResponse<byte[]> await(
            CompletableFuture<HttpResponse<byte[]>> exchange,
            LimitedBody body,
            long end,
            BooleanSupplier stopped,
            String what,
            URI at)
            throws SourceFetchException {
        while (true) {
            long left = end - System.nanoTime();
            if (stopped.getAsBoolean() || left <= 0) {
                body.cancel();
                exchange.cancel(true);
                throw new SourceFetchException(
                        ErrorCategory.TIMEOUT,
                        stopped.getAsBoolean()
                                ? "stopped"
                                : what + " " + SourceUrl.redact(at.toString()) + " not received in time");
            }
            try {
                return exchange.get(Math.min(left, POLL_NANOS), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // poll again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                body.cancel();
                exchange.cancel(true);
                throw new SourceFetchException(ErrorCategory.TIMEOUT, "interrupted");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof SourceFetchException f) {
                    throw f;
                }
                throw new SourceFetchException(
                        ErrorCategory.of(cause),
                        what + " " + SourceUrl.redact(at.toString()) + ": " + SourceUrl.redact(String.valueOf(cause)));
            }
        }
    }

    /** One client per TLS setting: its selector thread serves every request (a client per request leaks threads). */
    static HttpClient client(TlsSettings tls) throws SourceFetchException {
        try {
            return CLIENTS.computeIfAbsent(tls, t -> {
                try {
                    return HttpClient.newBuilder()
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofSeconds(10))
                            .sslContext(t.sslContext())
                            .build();
                } catch (GeneralSecurityException | IOException e) {
                    throw new IllegalStateException(e);
                }
            });
        } catch (IllegalStateException e) {
            throw new SourceFetchException(ErrorCategory.TLS, "cannot use the CA file: " + e.getCause());
        }
    }

    /** Collects a body up to a limit; past it, cancels the exchange (the connection is closed). */
    private static final class LimitedBody implements BodySubscriber<byte[]> {
        private final long max;
        private final boolean keep;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private long size;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private volatile Flow.Subscription subscription;

        LimitedBody(long max, boolean keep) {
            this.max = max;
            this.keep = keep;
        }

        void cancel() {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer b : buffers) {
                if (size + b.remaining() > max) {
                    cancel();
                    result.completeExceptionally(new SourceFetchException(
                            ErrorCategory.INVALID_DATA, "larger than the limit of " + Limits.describeBytes(max)));
                    return;
                }
                size += b.remaining();
                if (!keep) {
                    b.position(b.limit());
                    continue;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                bytes.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }
    }
}
