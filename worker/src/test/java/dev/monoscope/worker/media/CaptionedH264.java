package dev.monoscope.worker.media;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.DoublePredicate;

/**
 * H.264 in MPEG-TS that carries ATSC A/53 caption data as broadcasters send it: an SEI NAL unit
 * ({@code user_data_registered_itu_t_t35}, "GA94", {@code cc_data}) before the first slice of each captioned picture,
 * with a CEA-608 padding pair and, if asked, a CEA-708 (DTVCC) triplet. No tool here writes that SEI, so the test
 * writes it into the encoder's elementary stream itself; FFmpeg then muxes the result without re-encoding.
 */
public final class CaptionedH264 {

    private static final int FPS = 25;

    private CaptionedH264() {}

    /**
     * The clip {@code name} (a .ts), {@code seconds} long at 25 fps, whose pictures at the times {@code captioned}
     * accepts carry caption data; cached like every clip.
     */
    public static Path clip(String name, int seconds, boolean cea708, DoublePredicate captioned) {
        Path base = TestMedia.clip(
                "captions-base-" + seconds + "s.h264",
                List.of(
                        "-f",
                        "lavfi",
                        "-i",
                        "testsrc2=size=320x240:rate=" + FPS,
                        "-t",
                        String.valueOf(seconds),
                        "-c:v",
                        "libopenh264",
                        "-b:v",
                        "400k",
                        "-g",
                        String.valueOf(FPS)));
        Path withSei = TestMedia.corpusDir().resolve(name + ".h264");
        try {
            if (!Files.isRegularFile(TestMedia.corpusDir().resolve(name))) {
                Files.write(withSei, insertSei(Files.readAllBytes(base), cea708, captioned));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return TestMedia.clip(
                name, List.of("-f", "h264", "-r", String.valueOf(FPS), "-i", withSei.toString(), "-c", "copy"));
    }

    /** The Annex B stream {@code in} with a caption SEI before the first slice of each captioned picture. */
    static byte[] insertSei(byte[] in, boolean cea708, DoublePredicate captioned) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + in.length / 10);
        byte[] sei = sei(cea708);
        int picture = 0;
        int start = nextNal(in, 0);
        while (start >= 0) {
            int next = nextNal(in, start);
            int end = next < 0 ? in.length : next - 3;
            while (end > start && in[end - 1] == 0) {
                end--; // the leading zero of a four-byte start code
            }
            int type = in[start] & 0x1F;
            boolean firstSlice = (type == 1 || type == 5) && (in[start + 1] & 0x80) != 0; // first_mb_in_slice 0
            if (firstSlice) {
                if (captioned.test((double) picture / FPS)) {
                    out.writeBytes(new byte[] {0, 0, 0, 1});
                    out.writeBytes(sei);
                }
                picture++;
            }
            out.writeBytes(new byte[] {0, 0, 0, 1});
            out.write(in, start, end - start);
            start = next;
        }
        return out.toByteArray();
    }

    /** An SEI NAL unit with one A/53 cc_data message, emulation prevention applied. */
    private static byte[] sei(boolean cea708) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        payload.writeBytes(new byte[] {(byte) 0xB5, 0x00, 0x31, 'G', 'A', '9', '4', 0x03});
        int count = cea708 ? 2 : 1;
        payload.write(0x40 | count); // process_cc_data_flag, cc_count
        payload.write(0xFF); // em_data
        payload.writeBytes(new byte[] {(byte) 0xFC, (byte) 0x80, (byte) 0x80}); // valid, field 1: 608 padding
        if (cea708) {
            payload.writeBytes(new byte[] {(byte) 0xFF, 0x02, 0x21}); // valid, DTVCC packet start
        }
        payload.write(0xFF); // marker bits
        byte[] p = payload.toByteArray();
        ByteArrayOutputStream rbsp = new ByteArrayOutputStream();
        rbsp.write(0x06); // NAL header: SEI
        rbsp.write(4); // user_data_registered_itu_t_t35
        rbsp.write(p.length);
        rbsp.writeBytes(p);
        rbsp.write(0x80); // rbsp_trailing_bits
        byte[] r = rbsp.toByteArray();
        ByteArrayOutputStream nal = new ByteArrayOutputStream();
        int zeros = 0;
        for (byte b : r) {
            if (zeros >= 2 && (b & 0xFF) <= 3) {
                nal.write(3);
                zeros = 0;
            }
            nal.write(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return nal.toByteArray();
    }

    /** Where the NAL unit after the next start code from {@code from} begins, or -1. */
    private static int nextNal(byte[] b, int from) {
        for (int i = from; i + 2 < b.length; i++) {
            if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1) {
                return i + 3;
            }
        }
        return -1;
    }
}
