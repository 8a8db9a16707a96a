package dev.monoscope.worker.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.monoscope.worker.report.TransportMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Single faults written into the generated stream's bytes fail exactly their TR 101 290 check (and what follows from
 * them), whatever the chunking; and the counters reach users as meters.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TsChecksTest {

    private static final int TS = TsAnalyzer.PACKET_SIZE;

    private static byte[] clean() throws IOException {
        return Files.readAllBytes(TransportStreamTest.base());
    }

    /** The index of the {@code nth} packet of a PID that matches, from the middle of the stream on. */
    private static int packet(byte[] ts, int pid, int nth, boolean unitStart) {
        for (int i = ts.length / 2 / TS * TS; i + TS <= ts.length; i += TS) {
            int p = ((ts[i + 1] & 0x1F) << 8) | (ts[i + 2] & 0xFF);
            if (p == pid && ((ts[i + 1] & 0x40) != 0) == unitStart && nth-- == 0) {
                return i;
            }
        }
        throw new AssertionError("no such packet");
    }

    private static Map<TsCheck, Long> failures(byte[] ts) {
        TsAnalyzer a = new TsAnalyzer();
        TsAnalyzerTest.feedInRandomChunks(a, ts, new Random(11));
        Map<TsCheck, Long> m = new EnumMap<>(TsCheck.class);
        for (TsCheck c : TsCheck.values()) {
            if (a.counters().errors(c) > 0) {
                m.put(c, a.counters().errors(c));
            }
        }
        return m;
    }

    @Test
    void theCleanStreamPassesEveryCheck() throws IOException {
        assertThat(failures(clean())).isEmpty();
    }

    @Test
    void aDamagedPatSectionIsACrcError() throws IOException {
        byte[] ts = clean();
        int i = packet(ts, 0, 0, true);
        ts[i + 5 + 9] ^= 0x01; // inside the first programme entry (pointer_field 0, then the section)
        assertThat(failures(ts)).containsExactly(Map.entry(TsCheck.CRC_ERROR, 1L));
    }

    @Test
    void aPacketFlaggedByTheDemodulatorIsATransportError() throws IOException {
        byte[] ts = clean();
        int i = packet(ts, 0x100, 3, false);
        ts[i + 1] |= (byte) 0x80;
        // the flagged packet is not analysed (as in TSDuck): the next one of its PID breaks the continuity
        assertThat(failures(ts))
                .containsExactly(Map.entry(TsCheck.CONTINUITY_COUNT_ERROR, 1L), Map.entry(TsCheck.TRANSPORT_ERROR, 1L));
    }

    @Test
    void oneBadSyncByteIsASyncByteErrorAndTwoInARowLoseSync() throws IOException {
        byte[] one = clean();
        int i = packet(one, 0x100, 3, false);
        one[i] = 0x48;
        // the packet is dropped: its PID's continuity breaks
        assertThat(failures(one))
                .containsExactly(Map.entry(TsCheck.SYNC_BYTE_ERROR, 1L), Map.entry(TsCheck.CONTINUITY_COUNT_ERROR, 1L));

        byte[] two = clean();
        two[i] = 0x48;
        two[i + TS] = 0x48;
        Map<TsCheck, Long> f = failures(two);
        assertThat(f).containsEntry(TsCheck.SYNC_BYTE_ERROR, 2L).containsEntry(TsCheck.TS_SYNC_LOSS, 1L);
    }

    @Test
    void aDuplicatedPacketIsAllowedOnceNotTwice() throws IOException {
        byte[] ts = clean();
        int i = packet(ts, 0x100, 3, false);
        byte[] once = new byte[ts.length + TS];
        System.arraycopy(ts, 0, once, 0, i + TS);
        System.arraycopy(ts, i, once, i + TS, ts.length - i);
        assertThat(failures(once)).isEmpty();

        byte[] twice = new byte[ts.length + 2 * TS];
        System.arraycopy(ts, 0, twice, 0, i + TS);
        System.arraycopy(ts, i, twice, i + TS, TS);
        System.arraycopy(ts, i, twice, i + 2 * TS, ts.length - i);
        assertThat(failures(twice)).containsExactly(Map.entry(TsCheck.CONTINUITY_COUNT_ERROR, 1L));
    }

    /** test-072 fed whole into an analyser whose meters are bound to a fresh registry and refreshed. */
    private record Metered(byte[] ts, TsAnalyzer analyzer, TransportMetrics meters, SimpleMeterRegistry registry) {}

    private static Metered test072Metered() throws IOException {
        byte[] ts = Files.readAllBytes(dev.monoscope.worker.media.TestMedia.broadcast("test-072.ts"));
        TsAnalyzer a = new TsAnalyzer();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TransportMetrics meters = new TransportMetrics(a, registry);
        a.feed(ts, 0, ts.length);
        meters.refresh();
        return new Metered(ts, a, meters, registry);
    }

    @Test
    void countersAreMetersPerPid() throws IOException {
        Metered m = test072Metered();
        byte[] ts = m.ts();
        TsAnalyzer a = m.analyzer();
        SimpleMeterRegistry registry = m.registry();

        assertThat(registry.get("monoscope.transport.packets")
                        .tag("pid", "101")
                        .functionCounter()
                        .count())
                .isEqualTo(a.counters().packets(101));
        assertThat(registry.get("monoscope.transport.packets.all")
                        .functionCounter()
                        .count())
                .isEqualTo(ts.length / TS);
        assertThat(registry.get("monoscope.transport.errors")
                        .tag("check", "pat_error")
                        .tag("pid", "0")
                        .functionCounter()
                        .count())
                .isEqualTo(a.counters().errors(TsCheck.PAT_ERROR, 0))
                .isPositive();
        assertThat(registry.find("monoscope.transport.errors")
                        .tag("check", "pcr_repetition_error")
                        .meters())
                .isEmpty();
        assertThat(Arrays.stream(a.counters().pids()).boxed().toList()).containsExactly(0, 99, 100, 101);
    }

    /** Prometheus counters never go down: a reconnection (the analyser starts over) keeps the meters' totals. */
    @Test
    void metersKeepCountingAcrossAReconnection() throws IOException {
        Metered m = test072Metered();
        byte[] ts = m.ts();
        TsAnalyzer a = m.analyzer();
        TransportMetrics meters = m.meters();
        SimpleMeterRegistry registry = m.registry();
        long patErrors = a.counters().errors(TsCheck.PAT_ERROR, 0);
        long pid101 = a.counters().packets(101);

        a.reset();
        assertThat(a.counters().packets(101))
                .as("the connection's own count starts over")
                .isZero();
        assertThat(registry.get("monoscope.transport.packets")
                        .tag("pid", "101")
                        .functionCounter()
                        .count())
                .isEqualTo(pid101);
        a.feed(ts, 0, ts.length / 2 / TS * TS);
        meters.refresh();

        assertThat(registry.get("monoscope.transport.packets")
                        .tag("pid", "101")
                        .functionCounter()
                        .count())
                .isEqualTo(pid101 + a.counters().packets(101))
                .isGreaterThan(pid101);
        assertThat(registry.get("monoscope.transport.packets.all")
                        .functionCounter()
                        .count())
                .isEqualTo(ts.length / TS + ts.length / 2 / TS);
        assertThat(registry.get("monoscope.transport.errors")
                        .tag("check", "pat_error")
                        .tag("pid", "0")
                        .functionCounter()
                        .count())
                .isEqualTo(patErrors + a.counters().errors(TsCheck.PAT_ERROR, 0));
    }
}
