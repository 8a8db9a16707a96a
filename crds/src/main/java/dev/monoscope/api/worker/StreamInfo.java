package dev.monoscope.api.worker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** The stream's format, as the decoder sees it. A change of any field is a state change. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StreamInfo {

    @JsonPropertyDescription("Container format, e.g. mpegts, mp4, hls.")
    public String container;

    @JsonPropertyDescription("Video codec, e.g. h264.")
    public String videoCodec;

    @JsonPropertyDescription("Picture width in pixels.")
    public Integer width;

    @JsonPropertyDescription("Picture height in pixels.")
    public Integer height;

    @JsonPropertyDescription("Nominal frame rate, frames per second.")
    public Double frameRate;

    @JsonPropertyDescription("Audio codec, e.g. aac.")
    public String audioCodec;

    @JsonPropertyDescription("Audio channels.")
    public Integer channels;

    @JsonPropertyDescription("Audio sample rate, Hz.")
    public Integer sampleRate;

    @JsonPropertyDescription("Total bitrate, bits per second, when the container says.")
    public Long bitrate;

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof StreamInfo s)) {
            return false;
        }
        return Objects.equals(container, s.container)
                && Objects.equals(videoCodec, s.videoCodec)
                && Objects.equals(width, s.width)
                && Objects.equals(height, s.height)
                && Objects.equals(frameRate, s.frameRate)
                && Objects.equals(audioCodec, s.audioCodec)
                && Objects.equals(channels, s.channels)
                && Objects.equals(sampleRate, s.sampleRate)
                && Objects.equals(bitrate, s.bitrate);
    }

    @Override
    public int hashCode() {
        return Objects.hash(container, videoCodec, width, height, frameRate, audioCodec, channels, sampleRate, bitrate);
    }
}
