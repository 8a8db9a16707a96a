package dev.monoscope.worker.decode;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_FATAL;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_WARNING;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.setLogCallback;

import dev.monoscope.worker.source.SourceUrl;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.javacpp.BytePointer;

/**
 * FFmpeg's log, sent to stderr with credentials stripped. The callback lives in a static field: if it were
 * collected, the JVM would abort at FFmpeg's next log line. Errors are always seen (not printed) so that a refused
 * protocol can be named in the monitor's own error message, and counted per context name ("h264"), so that damage a
 * decoder conceals without flagging the picture is still seen ({@link LoggedDecodeErrors}).
 */
public final class FFmpegLog extends LogCallback {

    private static final FFmpegLog INSTANCE = new FFmpegLog();
    private static volatile boolean installed;
    private static volatile int printLevel = AV_LOG_FATAL;
    private static volatile String lastRefusal;
    private static volatile String lastError;
    /**
     * Warnings that are damage: FFmpeg's HEVC decoder drops a slice it cannot parse with a warning, not an error
     * (after joining; before, the same lines are the usual noise of a mid-stream start, which is not counted there).
     */
    private static final List<String> DAMAGE_WARNINGS =
            List.of("Skipping invalid undecodable NALU", "Failed to parse header of NALU", "Error parsing NAL unit");
    /** Error lines (and damage warnings) so far per name of the context that logged them: "[h264 @ 0x…]" is h264. */
    private static final Map<String, AtomicLong> ERRORS_BY_CONTEXT = new ConcurrentHashMap<>();

    private FFmpegLog() {}

    /** Installs the callback once; FFmpeg messages at or above {@code level} (e.g. AV_LOG_ERROR) are printed. */
    public static synchronized void install(int level) {
        printLevel = level;
        av_log_set_level(Math.max(level, AV_LOG_WARNING));
        if (!installed) {
            setLogCallback(INSTANCE);
            installed = true;
        }
    }

    /** Only fatal messages are printed, unless MONOSCOPE_FFMPEG_LOGLEVEL (an AV_LOG_* number) says otherwise. */
    public static void installQuiet() {
        String env = System.getenv("MONOSCOPE_FFMPEG_LOGLEVEL");
        install(env != null && env.matches("-?\\d+") ? Integer.parseInt(env) : AV_LOG_FATAL);
    }

    /** The last "not on whitelist" message FFmpeg logged (a protocol the allow-list refused), then forgets it. */
    public static String takeRefusal() {
        String r = lastRefusal;
        lastRefusal = null;
        return r;
    }

    /** The last error FFmpeg logged (credentials stripped), then forgets it: it tells a TLS failure apart. */
    public static String takeLastError() {
        String e = lastError;
        lastError = null;
        return e;
    }

    /** How many error lines contexts named {@code name} (a decoder's: "h264") logged so far, in this process. */
    static long errorsLoggedBy(String name) {
        AtomicLong count = ERRORS_BY_CONTEXT.get(name);
        return count == null ? 0 : count.get();
    }

    @Override
    public void call(int level, BytePointer msg) {
        String line = msg.getString();
        if (level <= AV_LOG_ERROR) {
            lastError = SourceUrl.redact(line.strip());
        }
        if (level <= AV_LOG_ERROR || DAMAGE_WARNINGS.stream().anyMatch(line::contains)) {
            int at = line.indexOf(" @ 0x");
            if (line.startsWith("[") && at > 1) {
                ERRORS_BY_CONTEXT
                        .computeIfAbsent(line.substring(1, at), n -> new AtomicLong())
                        .incrementAndGet();
            }
        }
        if (line.contains("whitelist")) {
            lastRefusal = SourceUrl.redact(line.strip());
        }
        if (level <= printLevel) {
            System.err.print("ffmpeg: " + SourceUrl.redact(line));
        }
    }
}
