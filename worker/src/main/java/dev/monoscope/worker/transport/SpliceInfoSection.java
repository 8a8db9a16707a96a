package dev.monoscope.worker.transport;

/**
 * Decodes an SCTE-35 splice_info_section (SCTE 35 §9.6), from a transport stream's PID or an HLS tag: the CRC is
 * checked over the whole section, pts_adjustment is added to the splice time modulo 2^33 (33-bit PTS arithmetic), and
 * splice_insert, time_signal (with its segmentation descriptors), splice_null, bandwidth_reservation, splice_schedule
 * and private_command are read. Anything that runs past the section or is not a splice_info_section is malformed.
 */
public final class SpliceInfoSection {

    /** PTS values are 33 bits. */
    public static final long PTS_MODULUS = 1L << 33;

    static final int TABLE_ID = 0xFC;
    /** splice_descriptor_tag of a segmentation_descriptor. */
    private static final int SEGMENTATION_DESCRIPTOR = 0x02;
    /** The fixed part before splice_command_type (bytes 0-12), the command type, and the CRC. */
    private static final int HEADER = 14;

    private static final int CRC = 4;

    private SpliceInfoSection() {}

    /** Why a section could not be decoded: {@code crc_error} or {@code malformed} (the scte35 defect's subtype). */
    public static final class Invalid extends Exception {
        private final String subtype;

        Invalid(String subtype, String message) {
            super(message);
            this.subtype = subtype;
        }

        public String subtype() {
            return subtype;
        }
    }

    /** Decodes the section of {@code len} bytes at {@code off}. */
    public static SpliceInfo parse(byte[] d, int off, int len) throws Invalid {
        if (len < HEADER + 2 + CRC || (d[off] & 0xFF) != TABLE_ID) {
            throw malformed(
                    "not a splice_info_section (table_id " + (len > 0 ? d[off] & 0xFF : -1) + ", " + len + " bytes)");
        }
        int sectionLength = ((d[off + 1] & 0x0F) << 8) | (d[off + 2] & 0xFF);
        if (3 + sectionLength != len) {
            throw malformed("section_length " + sectionLength + " does not match its " + len + " bytes");
        }
        if (Crc32Mpeg.of(d, off, len) != 0) {
            throw new Invalid("crc_error", "CRC_32 mismatch");
        }
        boolean encrypted = (d[off + 4] & 0x80) != 0;
        long adjustment = ((d[off + 4] & 0x01L) << 32) | readUnsigned(d, off + 5, 4);
        if (encrypted) {
            return new SpliceInfo("encrypted", null, null, null, null, false, null, null);
        }
        int commandLength = ((d[off + 11] & 0x0F) << 8) | (d[off + 12] & 0xFF);
        int type = d[off + 13] & 0xFF;
        Reader r = new Reader(d, off + HEADER, off + len - CRC);
        SpliceInfo command = command(type, r, adjustment);
        if (commandLength != 0xFFF && r.pos != off + HEADER + commandLength) {
            throw malformed("splice_command_length " + commandLength + " does not match the " + (r.pos - off - HEADER)
                    + " bytes of the " + command.command());
        }
        int loop = r.count(16);
        Reader descriptors = r.sub(loop);
        return withDescriptors(command, descriptors, adjustment);
    }

    private static SpliceInfo command(int type, Reader r, long adjustment) throws Invalid {
        return switch (type) {
            case 0x00 -> new SpliceInfo("splice_null", null, null, null, null, false, null, null);
            case 0x04 -> spliceSchedule(r);
            case 0x05 -> spliceInsert(r, adjustment);
            case 0x06 -> new SpliceInfo("time_signal", spliceTime(r, adjustment), null, null, null, false, null, null);
            case 0x07 -> new SpliceInfo("bandwidth_reservation", null, null, null, null, false, null, null);
            case 0xFF -> {
                r.skip(r.end - r.pos - 2); // identifier and private bytes run to the descriptor loop
                yield new SpliceInfo("private_command", null, null, null, null, false, null, null);
            }
            default -> throw malformed("reserved splice_command_type " + type);
        };
    }

    private static SpliceInfo spliceInsert(Reader r, long adjustment) throws Invalid {
        long eventId = r.bits(32);
        boolean cancel = r.bits(1) == 1;
        r.bits(7);
        if (cancel) {
            return new SpliceInfo("splice_insert", null, eventId, null, null, true, null, null);
        }
        boolean out = r.bits(1) == 1;
        boolean programSplice = r.bits(1) == 1;
        boolean hasDuration = r.bits(1) == 1;
        boolean immediate = r.bits(1) == 1;
        r.bits(4);
        Long pts = null;
        if (programSplice && !immediate) {
            pts = spliceTime(r, adjustment);
        }
        if (!programSplice) {
            int components = r.count(8);
            for (int c = 0; c < components; c++) {
                r.bits(8);
                if (!immediate) {
                    Long componentPts = spliceTime(r, adjustment);
                    pts = pts == null ? componentPts : pts;
                }
            }
        }
        Boolean autoReturn = null;
        Double duration = null;
        if (hasDuration) {
            autoReturn = r.bits(1) == 1;
            r.bits(6);
            duration = r.bits(33) / 90_000.0;
        }
        r.bits(32); // unique_program_id, avail_num, avails_expected
        return new SpliceInfo("splice_insert", pts, eventId, out, autoReturn, false, duration, null);
    }

    private static SpliceInfo spliceSchedule(Reader r) throws Invalid {
        int count = r.count(8);
        Long eventId = null;
        for (int i = 0; i < count; i++) {
            long id = r.bits(32);
            eventId = eventId == null ? id : eventId;
            boolean cancel = r.bits(1) == 1;
            r.bits(7);
            if (!cancel) {
                r.bits(1);
                boolean programSplice = r.bits(1) == 1;
                boolean hasDuration = r.bits(1) == 1;
                r.bits(5);
                if (programSplice) {
                    r.bits(32); // utc_splice_time
                } else {
                    r.skip(r.count(8) * 5);
                }
                if (hasDuration) {
                    r.skip(5);
                }
                r.skip(4);
            }
        }
        return new SpliceInfo("splice_schedule", null, eventId, null, null, false, null, null);
    }

    /** A splice_time(): the adjusted PTS, or null when time_specified_flag is 0. */
    private static Long spliceTime(Reader r, long adjustment) throws Invalid {
        if (r.bits(1) == 0) {
            r.bits(7);
            return null;
        }
        r.bits(6);
        return adjust(r.bits(33), adjustment);
    }

    /** A PTS plus pts_adjustment, modulo 2^33 (the sum of two 33-bit values wraps as a 33-bit counter). */
    public static long adjust(long pts, long adjustment) {
        return (pts + adjustment) & (PTS_MODULUS - 1);
    }

    /** The first segmentation descriptor fills in what a time_signal does not say. */
    private static SpliceInfo withDescriptors(SpliceInfo c, Reader r, long adjustment) throws Invalid {
        while (r.pos < r.end) {
            int tag = r.count(8);
            Reader body = r.sub(r.count(8));
            if (tag != SEGMENTATION_DESCRIPTOR || c.segmentationType() != null) {
                continue;
            }
            body.bits(32); // identifier, CUEI
            long eventId = body.bits(32);
            boolean cancel = body.bits(1) == 1;
            body.bits(7);
            if (cancel) {
                c = new SpliceInfo(c.command(), c.pts(), eventId, null, null, true, null, null);
                continue;
            }
            boolean programSegmentation = body.bits(1) == 1;
            boolean hasDuration = body.bits(1) == 1;
            body.bits(6);
            if (!programSegmentation) {
                body.skip(body.count(8) * 6);
            }
            Double duration = hasDuration ? body.bits(40) / 90_000.0 : null;
            body.bits(8); // upid type
            body.skip(body.count(8));
            int segmentationType = body.count(8);
            Boolean out = outOfNetwork(segmentationType);
            c = new SpliceInfo(
                    c.command(),
                    c.pts(),
                    c.eventId() != null ? c.eventId() : eventId,
                    c.outOfNetwork() != null ? c.outOfNetwork() : out,
                    c.autoReturn(),
                    c.cancel(),
                    c.durationSeconds() != null ? c.durationSeconds() : duration,
                    segmentationType);
        }
        return c;
    }

    /**
     * Whether a segmentation type starts a break (the start types of SCTE 35 table 23 for breaks, ads and placement
     * opportunities: 0x22, 0x30, 0x32, …, 0x46) or ends one (the next type up); null for the others (programmes,
     * chapters).
     */
    static Boolean outOfNetwork(int segmentationType) {
        boolean breakType = segmentationType == 0x22
                || segmentationType == 0x23
                || (segmentationType >= 0x30 && segmentationType <= 0x47);
        return breakType ? (segmentationType & 1) == 0 : null;
    }

    /** A section (or its HLS wrapping) that cannot be decoded. */
    public static Invalid malformed(String message) {
        return new Invalid("malformed", message);
    }

    /** Reads big-endian bit fields within [pos, end); running past the end is malformed. */
    private static final class Reader {
        final byte[] d;
        final int end;
        int pos;
        int bit;

        Reader(byte[] d, int pos, int end) {
            this.d = d;
            this.pos = pos;
            this.end = end;
        }

        /** The next {@code n} bits (at most 40) as an unsigned number. */
        long bits(int n) throws Invalid {
            long v = 0;
            for (int i = 0; i < n; i++) {
                if (pos >= end) {
                    throw malformed("the section ends inside a field");
                }
                v = (v << 1) | ((d[pos] >> (7 - bit)) & 1);
                if (++bit == 8) {
                    bit = 0;
                    pos++;
                }
            }
            return v;
        }

        int count(int n) throws Invalid {
            return (int) bits(n);
        }

        void skip(int bytes) throws Invalid {
            if (bytes < 0 || pos + bytes > end) {
                throw malformed("the section ends inside a field");
            }
            pos += bytes;
        }

        Reader sub(int bytes) throws Invalid {
            int from = pos;
            skip(bytes);
            return new Reader(d, from, from + bytes);
        }
    }

    private static long readUnsigned(byte[] d, int off, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (d[off + i] & 0xFF);
        }
        return v;
    }
}
