package dev.monoscope.worker.cli;

import dev.monoscope.api.worker.CaptionService;
import dev.monoscope.api.worker.Defect;
import dev.monoscope.api.worker.WorkerReport;
import dev.monoscope.worker.defect.DefectListener;
import dev.monoscope.worker.report.ReportState;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Human output: a line per defect as it starts and ends, a live progress line when stderr is a terminal (media
 * time, frames per second, speed against real time, active defects), and a summary table at the end.
 */
final class ConsoleOutput implements DefectListener {

    private final PrintWriter out;
    private final List<Defect> ended = new ArrayList<>();
    private final boolean progress;
    private Thread ticker;
    private volatile boolean lineShown;

    ConsoleOutput(PrintWriter out, boolean progress) {
        this.out = out;
        this.progress = progress;
    }

    @Override
    public synchronized void defectStarted(Defect d) {
        clearLine();
        out.printf(Locale.ROOT, "%10.3f  %-11s started  %s%n", d.start, d.type, details(d));
    }

    @Override
    public synchronized void defectEnded(Defect d) {
        clearLine();
        ended.add(d);
        out.printf(
                Locale.ROOT,
                "%10.3f  %-11s ended    after %.3f s%s%n",
                d.end,
                d.type,
                d.end - d.start,
                Boolean.TRUE.equals(d.truncated) ? " (input ended)" : "");
    }

    /** Starts the progress line, refreshed twice a second from the report. */
    void startProgress(ReportState state) {
        if (!progress) {
            return;
        }
        long startNanos = System.nanoTime();
        ticker = new Thread(
                () -> {
                    double lastMedia = 0;
                    long lastFrames = 0;
                    long lastNanos = startNanos;
                    while (!Thread.currentThread().isInterrupted()) {
                        try {
                            Thread.sleep(500);
                        } catch (InterruptedException e) {
                            return;
                        }
                        WorkerReport r = state.snapshot();
                        long now = System.nanoTime();
                        double media = r.mediaTime == null ? 0 : r.mediaTime;
                        long frames = r.counters.getOrDefault("videoFrames", 0L);
                        double dt = (now - lastNanos) / 1e9;
                        double fps = (frames - lastFrames) / dt;
                        double speed = (media - lastMedia) / dt;
                        lastMedia = media;
                        lastFrames = frames;
                        lastNanos = now;
                        String active =
                                r.activeDefects.stream().map(d -> d.type).collect(Collectors.joining(","));
                        synchronized (this) {
                            System.err.printf(
                                    Locale.ROOT,
                                    "\r%s  %6.1f fps  %5.2fx  %s%s\u001b[K",
                                    clock(media),
                                    fps,
                                    speed,
                                    r.connected ? "" : "NO SIGNAL ",
                                    active.isEmpty() ? "ok" : "ACTIVE: " + active);
                            lineShown = true;
                        }
                    }
                },
                "monoscope-progress");
        ticker.setDaemon(true);
        ticker.start();
    }

    void summary(double durationSec, long frames, String decoder, double cpuSeconds, double wallSeconds, String error) {
        if (ticker != null) {
            ticker.interrupt();
            try {
                ticker.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            clearLine();
            out.println();
            out.printf(
                    Locale.ROOT,
                    "Monitored %s (%d video frames), decoder %s, %.1f CPU-s in %.1f s%n",
                    clock(durationSec),
                    frames,
                    decoder == null ? "-" : decoder,
                    cpuSeconds,
                    wallSeconds);
            if (error != null) {
                out.println("Error: " + error);
            }
            if (ended.isEmpty()) {
                out.println("No defects.");
                return;
            }
            out.printf("%4s  %-11s %10s %10s %9s  %s%n", "id", "type", "start", "end", "duration", "details");
            for (Defect d : ended) {
                out.printf(
                        Locale.ROOT,
                        "%4d  %-11s %10.3f %10.3f %9.3f  %s%s%n",
                        d.id,
                        d.type,
                        d.start,
                        d.end,
                        d.end - d.start,
                        details(d),
                        Boolean.TRUE.equals(d.truncated) ? " (truncated)" : "");
            }
        }
    }

    /** The caption and subtitle services seen, after the summary table; nothing when there were none. */
    synchronized void captions(List<CaptionService> captions) {
        if (!captions.isEmpty()) {
            out.println("Captions: "
                    + String.join(
                            ", ",
                            captions.stream().map(CaptionService::toString).toList()));
        }
    }

    private void clearLine() {
        if (lineShown) {
            System.err.print("\r\u001b[K");
            lineShown = false;
        }
    }

    private static String details(Defect d) {
        return d.details == null || d.details.isEmpty() ? "" : d.details.toString();
    }

    private static String clock(double s) {
        long ms = Math.round(s * 1000);
        return String.format(
                Locale.ROOT, "%02d:%02d:%02d.%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    }
}
