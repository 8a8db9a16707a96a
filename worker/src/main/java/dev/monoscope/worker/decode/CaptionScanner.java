package dev.monoscope.worker.decode;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HEVC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MPEG2VIDEO;

import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.javacpp.BytePointer;

/**
 * Finds CEA-608 and CEA-708 caption data (ATSC A/53 {@code cc_data}, "GA94") in the video packets as they are read:
 * in H.264 and HEVC SEI messages ({@code user_data_registered_itu_t_t35}) and in MPEG-2 picture user data. Read from
 * the packets, not the decoded frames, because the GPU decoders do not export it. Only the NAL units before a
 * picture's first slice are read (where the SEI goes), so the cost does not grow with the bitrate. Counts the packets
 * that carried valid triplets of each kind (padding counts: presence, not text, is judged).
 */
public final class CaptionScanner {

    /** Bytes of a packet read at first: the parameter sets and SEI before the first slice fit in it. */
    private static final int FIRST_READ = 4096;

    private static final int MAX_READ = 1 << 20;

    /** The bitmask {@link #scan} returns. */
    static final int CEA608 = 1;

    static final int CEA708 = 2;

    private enum Syntax {
        H264,
        HEVC,
        MPEG2
    }

    private final Syntax syntax;
    /** 0 for Annex B start codes, else the NAL length field's size (MP4, Matroska). */
    private final int lengthSize;

    private byte[] buffer = new byte[FIRST_READ];
    private long cea608Packets;
    private long cea708Packets;

    private CaptionScanner(Syntax syntax, int lengthSize) {
        this.syntax = syntax;
        this.lengthSize = lengthSize;
    }

    /** A scanner for the video stream's codec, or null when it carries no A/53 captions this reads. */
    static CaptionScanner of(AVCodecParameters par) {
        int id = par.codec_id();
        byte[] extra = new byte[Math.max(0, Math.min(par.extradata_size(), 64))];
        if (extra.length > 0) {
            par.extradata().get(extra);
        }
        if (id == AV_CODEC_ID_H264) {
            return new CaptionScanner(Syntax.H264, extra.length >= 5 && extra[0] == 1 ? (extra[4] & 3) + 1 : 0);
        }
        if (id == AV_CODEC_ID_HEVC) {
            return new CaptionScanner(Syntax.HEVC, extra.length >= 23 && extra[0] == 1 ? (extra[21] & 3) + 1 : 0);
        }
        return id == AV_CODEC_ID_MPEG2VIDEO ? new CaptionScanner(Syntax.MPEG2, 0) : null;
    }

    /** Video packets read so far that carried CEA-608 data. */
    public long cea608Packets() {
        return cea608Packets;
    }

    /** Video packets read so far that carried CEA-708 (DTVCC) data. */
    public long cea708Packets() {
        return cea708Packets;
    }

    /** A video packet was read. */
    void packet(AVPacket packet) {
        int size = packet.size();
        BytePointer data = packet.data();
        if (size <= 0 || data == null || data.isNull()) {
            return;
        }
        int n = Math.min(size, FIRST_READ);
        data.position(0).get(buffer, 0, n);
        int found = scan(buffer, n);
        if (found < 0 && size > n) { // no slice in the first bytes: a large SEI, or parameter sets
            n = Math.min(size, MAX_READ);
            if (buffer.length < n) {
                buffer = new byte[n];
            }
            data.position(0).get(buffer, 0, n);
            found = scan(buffer, n);
        }
        if (found < 0) {
            found = ~found;
        }
        if ((found & CEA608) != 0) {
            cea608Packets++;
        }
        if ((found & CEA708) != 0) {
            cea708Packets++;
        }
    }

    /**
     * The caption kinds in {@code b[0..len)} up to the first slice, as {@link #CEA608} | {@link #CEA708}; negative
     * (the kinds found, complemented) when no slice came before {@code len}.
     */
    int scan(byte[] b, int len) {
        int found = 0;
        int i = lengthSize == 0 ? nextStartCode(b, 0, len) : 0;
        while (i >= 0 && i < len) {
            int start;
            int end;
            if (lengthSize == 0) {
                start = i;
                int next = nextStartCode(b, start, len);
                end = next < 0 ? len : next - 3;
                i = next;
            } else {
                if (i + lengthSize > len) {
                    break;
                }
                int nalLen = 0;
                for (int k = 0; k < lengthSize; k++) {
                    nalLen = (nalLen << 8) | (b[i + k] & 0xFF);
                }
                start = i + lengthSize;
                end = (int) Math.min(len, (long) start + nalLen);
                i = end;
            }
            if (start >= end) {
                continue;
            }
            int unit = unitKind(b[start] & 0xFF);
            if (unit == SLICE) {
                return found;
            }
            if (unit == USER_DATA) {
                found |= userData(b, start, end);
            }
        }
        return ~found;
    }

    private static final int OTHER = 0;
    private static final int SLICE = 1;
    private static final int USER_DATA = 2;

    /** What a NAL unit (or an MPEG-2 start code) is, from its first byte. */
    private int unitKind(int first) {
        return switch (syntax) {
            case H264 -> {
                int type = first & 0x1F;
                yield type >= 1 && type <= 5 ? SLICE : type == 6 ? USER_DATA : OTHER;
            }
            case HEVC -> {
                int type = (first >> 1) & 0x3F;
                yield type <= 31 ? SLICE : type == 39 ? USER_DATA : OTHER;
            }
            case MPEG2 -> first >= 0x01 && first <= 0xAF ? SLICE : first == 0xB2 ? USER_DATA : OTHER;
        };
    }

    /** The caption kinds in one SEI NAL unit or MPEG-2 user data ({@code b[start]} is its header byte). */
    private int userData(byte[] b, int start, int end) {
        if (syntax == Syntax.MPEG2) {
            return A53CcData.ofUserData(b, start + 1, end);
        }
        byte[] rbsp = A53CcData.unescape(b, start + (syntax == Syntax.HEVC ? 2 : 1), end);
        return A53CcData.ofSei(rbsp, rbsp.length);
    }

    /** Where the NAL unit after the next start code (00 00 01) from {@code from} begins, or -1. */
    private static int nextStartCode(byte[] b, int from, int len) {
        for (int i = from; i + 2 < len; i++) {
            if ((b[i + 2] & 0xFF) > 1) {
                i += 2; // cannot be part of a start code ending within the next two bytes
            } else if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1) {
                return i + 3;
            }
        }
        return -1;
    }
}
