package dev.monoscope.worker.monitor;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;

/**
 * Process CPU and wall-clock time from the first decoded frame to the last (the summary's steady-state figures), and
 * where the first frame lies on the media clock (a live pace is kept from there).
 */
final class FrameTiming {

    private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long firstFrameCpuNanos = -1;
    private long lastFrameCpuNanos = -1;
    private long firstFrameWallNanos = -1;
    private long lastFrameWallNanos = -1;
    private double firstFrameMedia = Double.NaN;

    /** A frame at media time {@code t} was decoded. */
    void frame(double t) {
        long cpu = os.getProcessCpuTime();
        long wall = System.nanoTime();
        if (firstFrameCpuNanos < 0) {
            firstFrameCpuNanos = cpu;
            firstFrameWallNanos = wall;
            firstFrameMedia = t;
        }
        lastFrameCpuNanos = cpu;
        lastFrameWallNanos = wall;
    }

    /** When the last frame was decoded, {@link System#nanoTime()}. */
    long lastFrameWallNanos() {
        return lastFrameWallNanos;
    }

    /** How far media time {@code t} is ahead of the wall clock since the first frame, seconds. */
    double ahead(double t) {
        return (t - firstFrameMedia) - (System.nanoTime() - firstFrameWallNanos) / 1e9;
    }

    /** Process CPU seconds from the first decoded frame to the last. */
    double cpuSeconds() {
        return firstFrameCpuNanos < 0 ? 0 : (lastFrameCpuNanos - firstFrameCpuNanos) / 1e9;
    }

    /** Wall-clock seconds from the first decoded frame to the last. */
    double wallSeconds() {
        return firstFrameWallNanos < 0 ? 0 : (lastFrameWallNanos - firstFrameWallNanos) / 1e9;
    }
}
