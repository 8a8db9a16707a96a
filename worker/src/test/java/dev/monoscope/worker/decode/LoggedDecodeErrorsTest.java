package dev.monoscope.worker.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HEVC;
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
        errors.beforeSend("h264", 1, KEY);
        if (line != null) {
            av_log(h264, AV_LOG_ERROR, line + "\n");
        }
        errors.afterSend("h264", 1, time, KEY);
    }

    @Test
    void aPictureDecodedWhileTheDecoderLoggedAnErrorIsDamaged() {
        send(2.40, null);
        send(2.44, "Missing reference picture, default is 65604");
        send(2.48, null);

        assertThat(errors.damageFrom(2.40))
                .as("a picture before the damaged one")
                .isNaN();
        assertThat(errors.damageFrom(2.44)).as("the damaged picture").isEqualTo(2.44);
        assertThat(errors.damageFrom(2.48)).as("damage is marked once").isNaN();
    }

    @Test
    void anErrorLoggedBetweenPacketsIsPlacedAtTheLastPacketSentNotTheNext() {
        send(2.40, null);
        av_log(h264, AV_LOG_ERROR, "error while decoding MB 16 0, bytestream 6034\n"); // a frame thread, late
        send(2.44, null);

        assertThat(errors.damageFrom(2.40)).isEqualTo(2.40);
    }

    @Test
    void withFrameThreadsAnErrorIsPlacedAtTheEarliestPacketAThreadMayBeDecoding() {
        // decode order P 2.56, B 2.48, B 2.52: two threads may be decoding either of the last two
        errors.afterSend("h264", 2, 2.56, KEY);
        errors.afterSend("h264", 2, 2.48, KEY);
        errors.beforeSend("h264", 2, KEY);
        av_log(h264, AV_LOG_ERROR, "error while decoding MB 3 7, bytestream -5\n");
        errors.afterSend("h264", 2, 2.52, KEY);

        assertThat(errors.damageFrom(2.44)).isNaN();
        assertThat(errors.damageFrom(2.48)).isEqualTo(2.48);
    }

    @Test
    void aLineThatComesAfterItsPictureWasHandedOutSaysHowFarBackTheDamageBegan() {
        send(2.40, null);
        assertThat(errors.damageFrom(2.40)).isNaN(); // handed out before the decoder said anything
        send(2.44, "error while decoding MB 16 0, bytestream 6034");
        assertThat(errors.damageFrom(2.44)).isEqualTo(2.44);
        send(2.48, "Missing reference picture, default is 65604"); // about the picture handed out already

        assertThat(errors.damageFrom(2.52)).as("the next picture out").isEqualTo(2.48);
    }

    @Test
    void hevcSkippingASliceItCannotParseIsDamageThoughOnlyAWarning() {
        AVCodecContext hevc = avcodec_alloc_context3(avcodec_find_decoder(AV_CODEC_ID_HEVC));
        try {
            errors.joined("hevc");
            errors.afterSend("hevc", 1, 2.40, KEY);
            av_log(hevc, AV_LOG_WARNING, "Skipping invalid undecodable NALU: 0\n");
            errors.afterSend("hevc", 1, 2.44, KEY);
            av_log(hevc, AV_LOG_WARNING, "Could not find a PPS for slice\n"); // a warning of no consequence here
            errors.afterSend("hevc", 1, 2.48, KEY);

            assertThat(errors.damageFrom(2.44)).isEqualTo(2.44);
            assertThat(errors.damageFrom(2.48)).isNaN();
        } finally {
            avcodec_free_context(hevc);
        }
    }

    @Test
    void warningsOtherDecodersAndWhatJoiningLoggedAreNoDamage() {
        av_log(h264, AV_LOG_ERROR, "non-existing PPS 0 referenced\n"); // joining mid-stream, before the keyframe
        errors.joined("h264");
        send(2.40, null);
        av_log(h264, AV_LOG_WARNING, "co located POCs unavailable\n");
        av_log(mpeg2, AV_LOG_ERROR, "ac-tex damaged at 11 3\n");
        send(2.44, null);

        assertThat(errors.damageFrom(2.40)).isNaN();
        assertThat(errors.damageFrom(2.44)).isNaN();
    }

    @Test
    void leadingPicturesOfTheFirstKeyframeAreNotDamage() {
        send(1.92, "reference picture missing during reorder"); // an open-GOP picture shown before the keyframe
        assertThat(errors.damageFrom(1.92)).isNaN();
        assertThat(errors.damageFrom(2.00)).isNaN();
    }
}
