package dev.monoscope.worker.source;

import static org.bytedeco.ffmpeg.global.avutil.AVERROR_HTTP_FORBIDDEN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_HTTP_NOT_FOUND;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_HTTP_UNAUTHORIZED;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_INVALIDDATA;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import javax.net.ssl.SSLException;

/**
 * What went wrong with a source, in words a report may carry: the report, the JSON Lines, webhooks and the operator's
 * status say the category; the raw detail (FFmpeg's text, an exception's message) goes to the worker's log only.
 */
public enum ErrorCategory {
    CONNECTION_REFUSED("connection refused"),
    TIMEOUT("timeout"),
    NOT_FOUND("not found"),
    FORBIDDEN("forbidden"),
    TLS("tls"),
    INVALID_DATA("invalid data"),
    /** The input ended or failed for another reason. */
    UNAVAILABLE("unavailable");

    private final String words;

    ErrorCategory(String words) {
        this.words = words;
    }

    /** The category as reported. */
    public String words() {
        return words;
    }

    /** The category of an HTTP status that is not a success. */
    public static ErrorCategory ofHttpStatus(int status) {
        return switch (status) {
            case 401, 403, 407 -> FORBIDDEN;
            case 404, 410 -> NOT_FOUND;
            case 408, 504 -> TIMEOUT;
            default -> UNAVAILABLE;
        };
    }

    /** The category of a Java I/O failure. */
    public static ErrorCategory of(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return TLS;
            }
            if (t instanceof HttpTimeoutException || t instanceof SocketTimeoutException) {
                return TIMEOUT;
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException) {
                return CONNECTION_REFUSED;
            }
        }
        return e instanceof IOException ? UNAVAILABLE : INVALID_DATA;
    }

    /**
     * The category of an FFmpeg error code, with what FFmpeg logged about it ({@code logged} may be null): TLS
     * failures are an I/O error to FFmpeg, told apart by its log.
     */
    public static ErrorCategory ofFfmpeg(int code, String logged) {
        if (logged != null && logged.toLowerCase(java.util.Locale.ROOT).matches("(?s).*(ssl|tls|certificate).*")) {
            return TLS;
        }
        if (code == AVERROR_HTTP_NOT_FOUND || code == -2) { // ENOENT
            return NOT_FOUND;
        }
        if (code == AVERROR_HTTP_FORBIDDEN || code == AVERROR_HTTP_UNAUTHORIZED || code == -13 || code == -1) {
            return FORBIDDEN; // also EACCES, EPERM
        }
        if (code == AVERROR_INVALIDDATA) {
            return INVALID_DATA;
        }
        return switch (code) {
            case -111, -113, -101, -104 -> CONNECTION_REFUSED; // ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, ECONNRESET
            case -110 -> TIMEOUT; // ETIMEDOUT
            default -> UNAVAILABLE;
        };
    }
}
