package dev.monoscope.worker.decode;

import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

/** FFmpeg's error codes in words. */
final class AvError {

    private AvError() {}

    /** FFmpeg's text for {@code code}, with the code. */
    static String error(int code) {
        byte[] buf = new byte[256];
        av_strerror(code, buf, buf.length);
        int len = 0;
        while (len < buf.length && buf[len] != 0) {
            len++;
        }
        return new String(buf, 0, len) + " (" + code + ")";
    }
}
