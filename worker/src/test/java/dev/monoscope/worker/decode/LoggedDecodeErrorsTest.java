package dev.monoscope.worker.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MPEG2VIDEO;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_WARNING;
import static org.bytedeco.ffmpeg.global.avutil.av_log;

import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tier 1: damage only the decoder's log tells of (FFmpeg's H.264 decoder conceals a picture with a missing reference
 * and flags nothing), with the lines logged through FFmpeg by a real decoder context, as the decoder logs them.
 */
class LoggedDecodeErrorsTest {

    private static final double KEY = 2.0;

    private AVCodecContext h264;
    private AVCodecContext mpeg2;
    private final LoggedDecodeErrors errors = new LoggedDecodeErrors();

    @BeforeEach
    void contexts() {
        FFmpegLog.installQuiet();
        h264 = avcodec_alloc_context3(avcodec_find_decoder(AV_CODEC_ID_H264));
        mpeg2 = avcodec_alloc_context3(avcodec_find_decoder(AV_CODEC_ID_MPEG2VIDEO));
        errors.joined("h264");
    }

    @AfterEach
    void free() {
        avcodec_free_context(h264);
        avcodec_free_context(mpeg2);
    }

    /** A packet of {@code time} sent to the H.264 decoder, which logs {@code line} (or nothing) while decoding it. */
    private void send(double time, String line) {
        errors.beforeSend("h264", KEY);
        if (line != null) {
            av_log(h264, AV_LOG_ERROR, line + "\n");
        }
        errors.afterSend("h264", time, KEY);
    }

    @Test
    void aPictureDecodedWhileTheDecoderLoggedAnErrorIsDamaged() {
        send(2.40, null);
        send(2.44, "Missing reference picture, default is 65604");
        send(2.48, null);

        assertThat(errors.damages(2.40, false))
                .as("a picture before the damaged one")
                .isFalse();
        assertThat(errors.damages(2.44, false)).as("the damaged picture").isTrue();
        assertThat(errors.damages(2.48, false)).as("damage is marked once").isFalse();
    }

    @Test
    void anErrorLoggedBetweenPacketsIsPlacedAtTheLastPacketSentNotTheNext() {
        send(2.40, null);
        av_log(h264, AV_LOG_ERROR, "error while decoding MB 16 0, bytestream 6034\n"); // a frame thread, late
        send(2.44, null);

        assertThat(errors.damages(2.40, false)).isTrue();
    }

    @Test
    void warningsOtherDecodersAndWhatJoiningLoggedAreNoDamage() {
        av_log(h264, AV_LOG_ERROR, "non-existing PPS 0 referenced\n"); // joining mid-stream, before the keyframe
        errors.joined("h264");
        send(2.40, null);
        av_log(h264, AV_LOG_WARNING, "co located POCs unavailable\n");
        av_log(mpeg2, AV_LOG_ERROR, "ac-tex damaged at 11 3\n");
        send(2.44, null);

        assertThat(errors.damages(2.40, false)).isFalse();
        assertThat(errors.damages(2.44, false)).isFalse();
    }

    @Test
    void leadingPicturesOfTheFirstKeyframeAreNotDamageAndAKeyframeIsNeverMarked() {
        send(1.92, "reference picture missing during reorder"); // an open-GOP picture shown before the keyframe
        assertThat(errors.damages(1.92, false)).isFalse();

        send(3.96, "mmco: unref short failure");
        assertThat(errors.damages(4.00, true))
                .as("the keyframe after it repairs it")
                .isFalse();
        assertThat(errors.damages(4.04, false)).as("and takes the mark with it").isFalse();
    }
}
