package dev.monoscope.worker.transport;

import java.io.ByteArrayOutputStream;

/**
 * Writes SCTE-35 splice_info_sections (SCTE 35 §9.6) bit by bit, with their CRC_32, for tests: splice_insert with and
 * without a break duration and auto_return, time_signal with a segmentation descriptor, splice_null and
 * bandwidth_reservation.
 */
public final class Scte35Sections {

    private Scte35Sections() {}

    /** splice_insert: an out-of-network (or return) program splice at {@code pts}, with a duration when given. */
    public static byte[] spliceInsert(
            long eventId, boolean out, long pts, Double duration, boolean autoReturn, long ptsAdjustment) {
        Bits c = new Bits();
        c.put(eventId, 32).put(0, 1).put(0x7F, 7); // not cancelled
        c.put(out ? 1 : 0, 1)
                .put(1, 1)
                .put(duration != null ? 1 : 0, 1)
                .put(0, 1)
                .put(0xF, 4);
        spliceTime(c, pts);
        if (duration != null) {
            c.put(autoReturn ? 1 : 0, 1).put(0x3F, 6).put(Math.round(duration * 90_000), 33);
        }
        c.put(1, 16).put(0, 8).put(0, 8); // unique_program_id, avail_num, avails_expected
        return section(0x05, c, new Bits(), ptsAdjustment);
    }

    /** time_signal at {@code pts} with one segmentation descriptor of {@code segmentationType} (e.g. 0x34). */
    public static byte[] timeSignal(long pts, long segmentationEventId, int segmentationType, Double duration) {
        Bits c = new Bits();
        spliceTime(c, pts);
        Bits d = new Bits();
        d.put(0x43554549L, 32).put(segmentationEventId, 32).put(0, 1).put(0x7F, 7);
        d.put(1, 1).put(duration != null ? 1 : 0, 1).put(1, 1).put(0x1F, 5);
        if (duration != null) {
            d.put(Math.round(duration * 90_000), 40);
        }
        d.put(0, 8).put(0, 8); // no UPID
        d.put(segmentationType, 8).put(1, 8).put(1, 8);
        Bits loop = new Bits().put(0x02, 8).put(d.size(), 8).append(d);
        return section(0x06, c, loop, 0);
    }

    public static byte[] spliceNull() {
        return section(0x00, new Bits(), new Bits(), 0);
    }

    public static byte[] bandwidthReservation() {
        return section(0x07, new Bits(), new Bits(), 0);
    }

    /** The section with one bit of its command flipped after the CRC was computed. */
    public static byte[] withBrokenCrc(byte[] section) {
        byte[] broken = section.clone();
        broken[14] ^= 0x01;
        return broken;
    }

    private static void spliceTime(Bits c, long pts) {
        c.put(1, 1).put(0x3F, 6).put(pts & ((1L << 33) - 1), 33);
    }

    private static byte[] section(int commandType, Bits command, Bits descriptors, long ptsAdjustment) {
        Bits s = new Bits();
        int length = 11 + command.size() + 2 + descriptors.size() + 4; // from protocol_version to CRC_32
        s.put(0xFC, 8).put(0, 1).put(0, 1).put(3, 2).put(length, 12);
        s.put(0, 8).put(0, 1).put(0, 6).put(ptsAdjustment, 33).put(0, 8);
        s.put(0xFFF, 12).put(command.size(), 12).put(commandType, 8).append(command);
        s.put(descriptors.size(), 16).append(descriptors);
        byte[] body = s.bytes();
        int crc = Crc32Mpeg.of(body, 0, body.length);
        byte[] out = java.util.Arrays.copyOf(body, body.length + 4);
        for (int i = 0; i < 4; i++) {
            out[body.length + i] = (byte) (crc >>> (24 - 8 * i));
        }
        return out;
    }

    /** Big-endian bit writer; every whole thing it holds is a whole number of bytes. */
    static final class Bits {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int current;
        private int count;

        Bits put(long value, int bits) {
            for (int i = bits - 1; i >= 0; i--) {
                current = (current << 1) | (int) ((value >>> i) & 1);
                if (++count == 8) {
                    out.write(current);
                    current = 0;
                    count = 0;
                }
            }
            return this;
        }

        Bits append(Bits other) {
            for (byte b : other.bytes()) {
                put(b & 0xFF, 8);
            }
            return this;
        }

        int size() {
            return out.size();
        }

        byte[] bytes() {
            if (count != 0) {
                throw new IllegalStateException("not a whole number of bytes");
            }
            return out.toByteArray();
        }
    }
}
