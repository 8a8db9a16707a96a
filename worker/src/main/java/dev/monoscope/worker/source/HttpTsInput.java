package dev.monoscope.worker.source;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.Arrays;

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

    /** Connects and reads the first packets; null (and nothing left open) when the response is not MPEG-TS. */
    static HttpTsInput open(String url, double timeoutSeconds) throws IOException {
        URI uri = URI.create(url);
        String userInfo = uri.getRawUserInfo();
        URI plain;
        try {
            plain = new URI(
                    uri.getScheme(),
                    null,
                    uri.getHost(),
                    uri.getPort(),
                    uri.getRawPath() == null ? null : uri.getPath(),
                    uri.getQuery(),
                    null);
        } catch (java.net.URISyntaxException e) {
            throw new IOException("not a valid URL: " + SourceUrl.redact(url));
        }
        int timeout = (int) Math.max(1, Math.round(timeoutSeconds * 1000));
        HttpURLConnection c = (HttpURLConnection) plain.toURL().openConnection();
        c.setConnectTimeout(timeout);
        c.setReadTimeout(timeout);
        c.setRequestProperty("User-Agent", "monoscope");
        if (userInfo != null) {
            String[] credentials = SourceUrl.credentials(userInfo);
            c.setRequestProperty("Authorization", SourceUrl.basicAuthorization(credentials[0], credentials[1]));
        }
        InputStream in = null;
        try {
            int status = c.getResponseCode();
            if (status >= 400) {
                throw new IOException("HTTP " + status + " from " + SourceUrl.redact(url));
            }
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
