package dev.monoscope.worker.live;

import dev.monoscope.worker.defect.DefectListener;
import dev.monoscope.worker.monitor.Monitor;
import dev.monoscope.worker.monitor.MonitorSettings;
import dev.monoscope.worker.report.ReportState;
import java.util.List;

/**
 * A monitor on a live input, run in its own thread as a worker runs it (reconnecting when the input ends, one
 * decoder thread so that a busy machine keeps up); closing it stops the monitor and waits for the thread.
 */
public final class LiveMonitor implements AutoCloseable {

    private final Monitor monitor;
    private final Thread pipeline;

    private LiveMonitor(Monitor monitor) {
        this.monitor = monitor;
        this.pipeline = new Thread(monitor::run, "test-pipeline");
    }

    /** Starts monitoring {@code url}; the report goes to {@code state}, the defects to {@code listeners}. */
    public static LiveMonitor start(String url, ReportState state, List<? extends DefectListener> listeners) {
        return start(settings(url), state, listeners);
    }

    /** A live input's settings: reconnecting, one decoder thread. */
    public static MonitorSettings settings(String url) {
        MonitorSettings settings = new MonitorSettings();
        settings.url = url;
        settings.endOfInput = MonitorSettings.EndOfInput.RECONNECT;
        settings.decoderThreads = 1;
        return settings;
    }

    /** Starts monitoring with these settings. */
    public static LiveMonitor start(
            MonitorSettings settings, ReportState state, List<? extends DefectListener> listeners) {
        LiveMonitor live = new LiveMonitor(new Monitor(settings, state, List.copyOf(listeners)));
        live.pipeline.start();
        return live;
    }

    /** As above, with a report nobody reads and the defects to {@code log}. */
    public static LiveMonitor start(String url, DefectLog log) {
        return start(url, new ReportState(), List.of(log));
    }

    public Monitor monitor() {
        return monitor;
    }

    /** Whether the monitor's run has returned within {@code millis} (polled; it is not stopped here). */
    public boolean awaitEnded(long millis) throws InterruptedException {
        pipeline.join(millis);
        return !pipeline.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        monitor.stop();
        pipeline.join(10_000);
    }
}
