package dev.monoscope.worker.source;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.net.ssl.HttpsURLConnection;

/**
 * Progressive MPEG-TS over HTTP(S): one GET (credentials from the URL's user-info as Basic authorization, as FFmpeg
 * sends them), read by its own thread into a bounded queue (the reader waits when it is full: TCP slows the server
 * down). The end of the response is the end of the input; a stall is the decoder's timeout, as with FFmpeg's I/O.
 */
final class HttpTsInput extends QueuedTsInput {

    private static final int CHUNK = 64 * 1024;
    private static final int QUEUE_CHUNKS = 64;

    private final HttpURLConnection connection;
    private final InputStream in;

    private HttpTsInput(HttpURLConnection connection, InputStream in, byte[] head) {
        super(QUEUE_CHUNKS, "monoscope-http");
        this.connection = connection;
        this.in = in;
        if (head.length > 0) {
            offer(head);
        }
        start();
    }

    /**
     * Connects and reads the first packets; null (and nothing left open) when the response is not MPEG-TS. Redirects
     * are followed here, so that the credentials go to the URL's own origin only.
     */
    static HttpTsInput open(String url, TlsSettings tls, double timeoutSeconds) throws IOException {
        SourceCredentials.Split split;
        try {
            split = SourceCredentials.split(url);
        } catch (IllegalArgumentException e) {
            throw new IOException("not a valid URL: " + SourceUrl.redact(url));
        }
        int timeout = (int) Math.max(1, Math.round(timeoutSeconds * 1000));
        URI at = split.uri();
        for (int hop = 0; ; hop++) {
            HttpURLConnection c = connect(at, split.credentials(), tls, timeout);
            int status = c.getResponseCode();
            String location = c.getHeaderField("Location");
            if (status / 100 == 3 && location != null && hop < BoundedGet.MAX_REDIRECTS) {
                c.disconnect();
                at = at.resolve(location.trim());
                if (!"http".equalsIgnoreCase(at.getScheme()) && !"https".equalsIgnoreCase(at.getScheme())) {
                    throw new SourceFetchException(
                            ErrorCategory.INVALID_DATA,
                            "the protocol allow-list refused a redirect to " + SourceUrl.redact(at.toString()));
                }
                continue;
            }
            if (status >= 300) {
                c.disconnect();
                throw new SourceFetchException(
                        ErrorCategory.ofHttpStatus(status), "HTTP " + status + " from " + SourceUrl.redact(url));
            }
            return firstPackets(c);
        }
    }

    private static HttpURLConnection connect(URI uri, SourceCredentials credentials, TlsSettings tls, int timeout)
            throws IOException {
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        c.setInstanceFollowRedirects(false);
        c.setConnectTimeout(timeout);
        c.setReadTimeout(timeout);
        c.setRequestProperty("User-Agent", "monoscope");
        credentials.authorizationFor(uri).ifPresent(a -> c.setRequestProperty("Authorization", a));
        if (c instanceof HttpsURLConnection https) {
            try {
                https.setSSLSocketFactory(tls.sslContext().getSocketFactory());
            } catch (GeneralSecurityException e) {
                throw new SourceFetchException(ErrorCategory.TLS, "cannot use the CA file: " + e);
            }
            if (!tls.verify()) {
                https.setHostnameVerifier((host, session) -> true);
            }
        }
        return c;
    }

    private static HttpTsInput firstPackets(HttpURLConnection c) throws IOException {
        InputStream in = null;
        try {
            in = c.getInputStream();
            byte[] head = in.readNBytes(3 * 188);
            if (!TsInput.startsWithPackets(head, head.length)) {
                in.close();
                c.disconnect();
                return null;
            }
            c.setReadTimeout(0); // from now on the decoder's own timeout applies (the reader thread may wait)
            return new HttpTsInput(c, in, head);
        } catch (IOException | RuntimeException e) {
            if (in != null) {
                in.close();
            }
            c.disconnect();
            throw e;
        }
    }

    @Override
    protected void receive() {
        byte[] buf = new byte[CHUNK];
        try {
            while (!closed) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                if (n > 0) {
                    put(Arrays.copyOf(buf, n));
                }
            }
        } catch (IOException e) {
            // the connection broke or was closed: the end of this input
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!closed) {
            try {
                end();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    protected void release() {
        try {
            in.close();
        } catch (IOException e) {
            // closing anyway
        }
        connection.disconnect();
    }
}
