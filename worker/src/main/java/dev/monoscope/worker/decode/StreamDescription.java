package dev.monoscope.worker.decode;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avutil.av_q2d;

import dev.monoscope.api.worker.StreamInfo;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;

/** What an opened input carries, as the report shows it: container, bitrate, the video and the first audio track. */
final class StreamDescription {

    private StreamDescription() {}

    /** @param video the decoded video stream, or null */
    static StreamInfo of(AVFormatContext fmt, Track video, List<Track> audio) {
        StreamInfo info = new StreamInfo();
        info.container = fmt.iformat().name().getString().split(",")[0];
        if (fmt.bit_rate() > 0) {
            info.bitrate = fmt.bit_rate();
        }
        if (video != null) {
            AVCodecParameters par = video.stream.codecpar();
            info.videoCodec = avcodec_get_name(par.codec_id()).getString();
            info.width = par.width();
            info.height = par.height();
            double fps = av_q2d(video.stream.avg_frame_rate());
            if (!(fps > 0)) {
                fps = av_q2d(video.stream.r_frame_rate());
            }
            info.frameRate = fps > 0 ? Math.round(fps * 1000) / 1000.0 : null;
        }
        if (!audio.isEmpty()) {
            AVCodecParameters par = audio.get(0).stream.codecpar();
            info.audioCodec = avcodec_get_name(par.codec_id()).getString();
            info.channels = par.ch_layout().nb_channels();
            info.sampleRate = par.sample_rate();
        }
        return info;
    }
}
