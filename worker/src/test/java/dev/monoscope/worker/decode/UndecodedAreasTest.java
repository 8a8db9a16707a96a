package dev.monoscope.worker.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P10LE;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;

import java.nio.ByteBuffer;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A picture the HEVC decoder left partly undecoded still holds the chroma its marked buffer started with (Cb and Cr
 * both zero); no decoded colour does, not even the most saturated yellow (least Cb) and cyan (least Cr) of full-range
 * video side by side.
 */
class UndecodedAreasTest {

    private static final int WIDTH = 320;
    private static final int HEIGHT = 180;

    private AVFrame frame;

    @AfterEach
    void free() {
        av_frame_free(frame);
    }

    @Test
    void fullRangeYellowBesideCyanIsDecodedColour() {
        frame = yellowBesideCyan(AV_PIX_FMT_YUV420P, 1);
        assertThat(UndecodedAreas.in(frame)).isFalse();
    }

    @Test
    void oneCodingTreeUnitLeftAsTheBufferWasIsFound() {
        frame = yellowBesideCyan(AV_PIX_FMT_YUV420P, 1);
        leaveUndecoded(frame, 64, 64, 32, 1);
        assertThat(UndecodedAreas.in(frame)).isTrue();
    }

    @Test
    void tenBitPictureLeftPartlyUndecodedIsFound() {
        frame = yellowBesideCyan(AV_PIX_FMT_YUV420P10LE, 2);
        assertThat(UndecodedAreas.in(frame)).isFalse();
        leaveUndecoded(frame, 128, 64, 32, 2);
        assertThat(UndecodedAreas.in(frame)).isTrue();
    }

    @Test
    void aSingleZeroSampleIsNotAnArea() {
        frame = yellowBesideCyan(AV_PIX_FMT_YUV420P, 1);
        int x = 4;
        int y = 4; // on the grid of points checked
        chroma(frame, 1).put(y * frame.linesize(1) + x, (byte) 0);
        chroma(frame, 2).put(y * frame.linesize(2) + x, (byte) 0);
        assertThat(UndecodedAreas.in(frame)).isFalse();
    }

    /** Left half full-range yellow (Cb 0, Cr 138), right half cyan (Cb 170, Cr 0), in 8-bit or 10-bit samples. */
    private static AVFrame yellowBesideCyan(int format, int bytes) {
        AVFrame f = av_frame_alloc();
        f.format(format).width(WIDTH).height(HEIGHT);
        assertThat(av_frame_get_buffer(f, 0)).isZero();
        int shift = bytes == 2 ? 2 : 0;
        for (int y = 0; y < HEIGHT / 2; y++) {
            for (int x = 0; x < WIDTH / 2; x++) {
                boolean yellow = x < WIDTH / 4;
                put(chroma(f, 1), y * f.linesize(1) + x * bytes, (yellow ? 0 : 170) << shift, bytes);
                put(chroma(f, 2), y * f.linesize(2) + x * bytes, (yellow ? 138 : 0) << shift, bytes);
            }
        }
        return f;
    }

    /** Sets Cb and Cr to zero over a square of {@code size} luma pixels at ({@code x}, {@code y}). */
    private static void leaveUndecoded(AVFrame f, int x, int y, int size, int bytes) {
        for (int cy = y / 2; cy < (y + size) / 2; cy++) {
            for (int cx = x / 2; cx < (x + size) / 2; cx++) {
                put(chroma(f, 1), cy * f.linesize(1) + cx * bytes, 0, bytes);
                put(chroma(f, 2), cy * f.linesize(2) + cx * bytes, 0, bytes);
            }
        }
    }

    private static ByteBuffer chroma(AVFrame f, int plane) {
        return f.data(plane).capacity((long) f.linesize(plane) * HEIGHT / 2).asByteBuffer();
    }

    private static void put(ByteBuffer plane, int at, int value, int bytes) {
        plane.put(at, (byte) value);
        if (bytes == 2) {
            plane.put(at + 1, (byte) (value >> 8));
        }
    }
}
