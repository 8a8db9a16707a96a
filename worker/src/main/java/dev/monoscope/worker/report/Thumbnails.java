package dev.monoscope.worker.report;

import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_ref;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;

import dev.monoscope.worker.decode.JpegEncoder;
import dev.monoscope.worker.decode.Picture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * The latest decoded picture as a small JPEG, made only when asked and at most once per {@link #MIN_INTERVAL_NANOS}:
 * nobody asking costs the decode thread one volatile read per picture. A request that finds no fresh thumbnail asks
 * the decode thread for its next picture (a reference to the decoder's buffer, no copy) and scales and encodes it on
 * the request's own thread, waiting at most {@link #HANDOVER_MILLIS}; a stream that stalled keeps its last thumbnail,
 * whose age grows.
 */
public final class Thumbnails {

    /** Widest thumbnail, pixels. */
    public static final int MAX_WIDTH = 320;

    /** A thumbnail younger than this is served again rather than remade. */
    static final long MIN_INTERVAL_NANOS = 2_000_000_000L;

    /** How long a request waits for the decode thread's next picture. */
    static final long HANDOVER_MILLIS = 1_000;

    /** One thumbnail and when its picture was decoded ({@link System#nanoTime()}). */
    public record Thumbnail(byte[] jpeg, long decodedAtNanos) {}

    /** The picture handed over; allocated at the first request, so a worker nobody looks at holds none. */
    private AVFrame handed;

    private final AtomicLong made = new AtomicLong();
    private final LongSupplier nanoTime;
    private volatile boolean wanted;
    private boolean arrived;
    private long arrivedAtNanos;
    private Thumbnail latest;
    private boolean closed;

    public Thumbnails() {
        this(System::nanoTime);
    }

    Thumbnails(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** The decode thread's picture: taken (by reference) only when a request waits for one. */
    public void offer(Picture p) {
        if (!wanted) {
            return;
        }
        synchronized (this) {
            if (!wanted || closed || handed == null || p.frame() == null) {
                return;
            }
            av_frame_unref(handed);
            if (av_frame_ref(handed, p.frame()) < 0) {
                return;
            }
            arrived = true;
            arrivedAtNanos = nanoTime.getAsLong();
            wanted = false;
            notifyAll();
        }
    }

    /**
     * A thumbnail no older than {@link #MIN_INTERVAL_NANOS} when the stream moves, else the last one made (its age
     * says how old); null before the first picture.
     */
    public synchronized Thumbnail latest() throws InterruptedException {
        if (closed || fresh()) {
            return latest;
        }
        if (handed == null) {
            handed = av_frame_alloc();
        }
        arrived = false;
        wanted = true;
        long deadline = System.currentTimeMillis() + HANDOVER_MILLIS;
        while (!arrived && !closed && !fresh()) { // another request may have made one meanwhile
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                break;
            }
            wait(left);
        }
        wanted = false;
        if (arrived && !closed && !fresh()) {
            arrived = false;
            byte[] jpeg = JpegEncoder.encode(handed, MAX_WIDTH);
            av_frame_unref(handed);
            if (jpeg != null) {
                made.incrementAndGet();
                latest = new Thumbnail(jpeg, arrivedAtNanos);
            }
        }
        return latest;
    }

    private boolean fresh() {
        return latest != null && nanoTime.getAsLong() - latest.decodedAtNanos() < MIN_INTERVAL_NANOS;
    }

    /** Thumbnails made so far (a metric: none while nobody asks). */
    public long made() {
        return made.get();
    }

    /** Lets go of the picture held and wakes a waiting request. */
    public synchronized void close() {
        closed = true;
        wanted = false;
        if (handed != null) {
            av_frame_free(handed);
            handed = null;
        }
        notifyAll();
    }
}
