package dev.monoscope.worker.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The SCTE-35 section parser on sections written bit by bit ({@link Scte35Sections}). */
class SpliceInfoSectionTest {

    private static SpliceInfo parse(byte[] s) throws SpliceInfoSection.Invalid {
        return SpliceInfoSection.parse(s, 0, s.length);
    }

    @Test
    void spliceInsertOutWithADurationAndNoAutoReturn() throws Exception {
        SpliceInfo s = parse(Scte35Sections.spliceInsert(4711, true, 900_000, 30.0, false, 0));

        assertThat(s.command()).isEqualTo("splice_insert");
        assertThat(s.eventId()).isEqualTo(4711);
        assertThat(s.outOfNetwork()).isTrue();
        assertThat(s.autoReturn()).isFalse();
        assertThat(s.durationSeconds()).isEqualTo(30.0);
        assertThat(s.pts()).isEqualTo(900_000);
        assertThat(s.cancel()).isFalse();
    }

    @Test
    void ptsAdjustmentIsAddedModulo33Bits() throws Exception {
        long adjustment = (1L << 33) - 90_000; // one second short of the wrap
        SpliceInfo s = parse(Scte35Sections.spliceInsert(1, false, 180_000, null, false, adjustment));

        assertThat(s.pts()).as("180000 + 2^33 - 90000, wrapped").isEqualTo(90_000);
        assertThat(s.outOfNetwork()).isFalse();
        assertThat(s.durationSeconds()).isNull();
        assertThat(SpliceInfoSection.adjust((1L << 33) - 1, 1)).isZero();
    }

    @Test
    void timeSignalTakesItsMeaningFromTheSegmentationDescriptor() throws Exception {
        SpliceInfo start = parse(Scte35Sections.timeSignal(1234, 77, 0x34, 60.0));
        SpliceInfo end = parse(Scte35Sections.timeSignal(5678, 77, 0x35, null));

        assertThat(start.command()).isEqualTo("time_signal");
        assertThat(start.pts()).isEqualTo(1234);
        assertThat(start.eventId()).isEqualTo(77);
        assertThat(start.segmentationType()).isEqualTo(0x34);
        assertThat(start.outOfNetwork()).as("placement opportunity start").isTrue();
        assertThat(start.durationSeconds()).isEqualTo(60.0);
        assertThat(end.outOfNetwork()).as("placement opportunity end").isFalse();
    }

    @Test
    void spliceNullAndBandwidthReservation() throws Exception {
        assertThat(parse(Scte35Sections.spliceNull()).command()).isEqualTo("splice_null");
        assertThat(parse(Scte35Sections.bandwidthReservation()).command()).isEqualTo("bandwidth_reservation");
    }

    @Test
    void aFlippedBitIsACrcError() {
        byte[] broken = Scte35Sections.withBrokenCrc(Scte35Sections.spliceInsert(1, true, 0, 10.0, true, 0));

        assertThatThrownBy(() -> parse(broken))
                .isInstanceOfSatisfying(
                        SpliceInfoSection.Invalid.class,
                        e -> assertThat(e.subtype()).isEqualTo("crc_error"));
    }

    @Test
    void aTruncatedOrForeignSectionIsMalformed() {
        byte[] good = Scte35Sections.spliceNull();
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);
        byte[] notScte35 = good.clone();
        notScte35[0] = 0x02;

        for (byte[] bad : new byte[][] {truncated, notScte35, new byte[3]}) {
            assertThatThrownBy(() -> parse(bad))
                    .isInstanceOfSatisfying(
                            SpliceInfoSection.Invalid.class,
                            e -> assertThat(e.subtype()).isEqualTo("malformed"));
        }
    }
}
