package dev.monoscope.worker.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.monoscope.worker.live.DefectLog.Event;
import dev.monoscope.worker.monitor.MonitorSettings;
import dev.monoscope.worker.report.ReportState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** SRT input on loopback against the bundled ffmpeg as the peer: the monitor as caller and as listener. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SrtInputTest {

    private static final String PASSPHRASE = "loopback-only-passphrase";

    @Test
    void theMonitorCallsAnEncryptedSrtListener() throws Exception {
        try (LoopbackSender.Srt sender = LoopbackSender.srt(LiveClip.get(), false, PASSPHRASE)) {
            sender.start();
            MonitorSettings settings = LiveMonitor.settings(sender.url());
            settings.password = PASSPHRASE;
            monitorsTheClip(settings);
        }
    }

    @Test
    void aWrongPassphraseNeverConnectsWhereTheRightOneDoes() throws Exception {
        try (LoopbackSender.Srt sender = LoopbackSender.srt(LiveClip.get(), false, PASSPHRASE)) {
            sender.start();
            assertThat(sender.awaitListening(Duration.ofSeconds(20)))
                    .as("ffmpeg listens")
                    .isTrue();
            MonitorSettings wrong = LiveMonitor.settings(sender.url());
            wrong.password = "not-the-loopback-passphrase";
            DefectLog log = new DefectLog();
            try (LiveMonitor monitor = LiveMonitor.start(wrong, new ReportState(), List.of(log))) {
                log.awaitStarted("signal_loss", 0, Duration.ofSeconds(40));
                monitor.close();
                assertThat(monitor.monitor().summary().videoFrames()).isZero();
            }
            MonitorSettings right = LiveMonitor.settings(sender.url());
            right.password = PASSPHRASE;
            monitorsTheClip(right); // the same listener, still waiting for a caller it accepts
        }
    }

    @Test
    void theMonitorListensForAnSrtCaller() throws Exception {
        try (LoopbackSender.Srt sender = LoopbackSender.srt(LiveClip.get(), true, null)) {
            ReportState state = new ReportState();
            DefectLog log = new DefectLog();
            try (LiveMonitor monitor = LiveMonitor.start(LiveMonitor.settings(sender.url()), state, List.of(log))) {
                sender.start(); // the caller keeps trying for 20 s while the monitor opens its listener
                Event black = log.awaitEnded("black", 0, Duration.ofSeconds(40));
                assertThat(black.defect().end - black.defect().start).isGreaterThan(1.0);
                assertThat(state.snapshot().stream.container).isEqualTo("mpegts");
            }
        }
    }

    private static void monitorsTheClip(MonitorSettings settings) throws Exception {
        ReportState state = new ReportState();
        DefectLog log = new DefectLog();
        try (LiveMonitor monitor = LiveMonitor.start(settings, state, List.of(log))) {
            Event black = log.awaitEnded("black", 0, Duration.ofSeconds(40));
            assertThat(black.defect().end - black.defect().start).isGreaterThan(1.0);
            assertThat(state.snapshot().connected).isTrue();
            assertThat(state.snapshot().stream.container).isEqualTo("mpegts");
        }
    }
}
