package dev.monoscope.worker.decode;

import java.io.ByteArrayOutputStream;

/**
 * ATSC A/53 caption data ({@code cc_data}, user identifier "GA94", type 3) as the video carries it: in an H.264/HEVC
 * SEI message {@code user_data_registered_itu_t_t35} (payload type 4, country 0xB5, provider 0x0031) or in MPEG-2
 * picture user data. Says which kinds its valid triplets are: CEA-608 (cc_type 0, 1) and CEA-708 DTVCC (2, 3).
 */
final class A53CcData {

    private static final int GA94 = 0x47413934;
    private static final int SEI_T35 = 4;

    private A53CcData() {}

    /** The RBSP of a NAL unit's payload {@code b[from..to)}: emulation prevention bytes (00 00 03) removed. */
    static byte[] unescape(byte[] b, int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(0, to - from));
        int zeros = 0;
        for (int i = from; i < to; i++) {
            int v = b[i] & 0xFF;
            if (zeros >= 2 && v == 3) {
                zeros = 0;
                continue;
            }
            zeros = v == 0 ? zeros + 1 : 0;
            out.write(v);
        }
        return out.toByteArray();
    }

    /** The caption kinds in the SEI messages of an SEI RBSP {@code r[0..len)}. */
    static int ofSei(byte[] r, int len) {
        int found = 0;
        int[] at = {0};
        while (at[0] < len && !(at[0] == len - 1 && r[at[0]] == (byte) 0x80)) { // up to the rbsp_trailing_bits
            int type = ffCoded(r, len, at);
            int size = ffCoded(r, len, at);
            if (type < 0 || size < 0) {
                break;
            }
            int end = Math.min(len, at[0] + size);
            if (type == SEI_T35) {
                found |= ofT35(r, at[0], end);
            }
            at[0] = end;
        }
        return found;
    }

    /** An SEI payload type or size (0xFF bytes add 255 each, the last byte the rest) at {@code at[0]}, or -1. */
    private static int ffCoded(byte[] r, int len, int[] at) {
        int value = 0;
        while (at[0] < len && r[at[0]] == (byte) 0xFF) {
            value += 255;
            at[0]++;
        }
        return at[0] < len ? value + (r[at[0]++] & 0xFF) : -1;
    }

    /** An ITU-T T.35 payload {@code r[i..end)}: A/53 caption data when it is the ATSC provider's "GA94". */
    private static int ofT35(byte[] r, int i, int end) {
        if (end - i < 8 || (r[i] & 0xFF) != 0xB5) {
            return 0;
        }
        int provider = ((r[i + 1] & 0xFF) << 8) | (r[i + 2] & 0xFF);
        return provider == 0x0031 ? ofUserData(r, i + 3, end) : 0;
    }

    /** User data {@code b[i..end)} that starts with the user identifier: "GA94", type 3, then cc_data. */
    static int ofUserData(byte[] b, int i, int end) {
        if (end - i < 7 || readInt(b, i) != GA94 || b[i + 4] != 3) {
            return 0;
        }
        return ofCcData(b, i + 5, end);
    }

    /** {@code cc_data()}: process_cc_data_flag, cc_count, em_data, then cc_count triplets. */
    private static int ofCcData(byte[] b, int i, int end) {
        if ((b[i] & 0x40) == 0) {
            return 0; // process_cc_data_flag off: the triplets are to be ignored
        }
        int count = b[i] & 0x1F;
        int found = 0;
        for (int k = 0, t = i + 2; k < count && t + 3 <= end; k++, t += 3) {
            boolean valid = (b[t] & 0x04) != 0;
            int ccType = b[t] & 0x03;
            if (valid) {
                found |= ccType < 2 ? CaptionScanner.CEA608 : CaptionScanner.CEA708;
            }
        }
        return found;
    }

    private static int readInt(byte[] b, int i) {
        return ((b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }
}
