package dev.monoscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Where the stream comes from and which parts of it to watch. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SourceSpec {

    /** The URL schemes a StreamMonitor may use. Local files only on the command line, never in a CR. */
    public static final List<String> ALLOWED_SCHEMES =
            List.of("http", "https", "udp", "rtp", "srt", "rtmp", "rtmps", "rtsp", "rtsps");

    public static final String URL_PATTERN = "^(https?|udp|rtp|srt|rtmps?|rtsps?)://.+";
    public static final String MESSAGE_URL =
            "spec.source.url must start with one of http://, https://, udp://, rtp://, "
                    + "srt://, rtmp://, rtmps://, rtsp://, rtsps:// (file: and other schemes are not allowed)";
    public static final String MESSAGE_AUDIO_TRACKS =
            "spec.source.audioTracks counts from 1: every entry must be between 1 and 64";

    @JsonPropertyDescription("The stream's URL. Schemes: http, https (progressive MPEG-TS/MP4 or HLS), udp, rtp, srt, "
            + "rtmp, rtmps, rtsp, rtsps. Put no credentials here: use credentialsSecretRef.")
    @Required
    @Size(max = 2048)
    @Pattern(URL_PATTERN)
    @ValidationRule(value = "self.matches('" + URL_PATTERN + "')", message = MESSAGE_URL)
    public String url;

    @JsonPropertyDescription("A Secret holding the username and password for the source (for srt, the password is the "
            + "SRT passphrase). The worker gets them as environment variables through secretKeyRef; they never appear "
            + "in the CR, the pod spec, logs or reports.")
    public CredentialsSecretRef credentialsSecretRef;

    @JsonPropertyDescription("How TLS origins (https, rtmps, rtsps) are checked: their certificate is verified "
            + "against the system's CAs unless this says otherwise.")
    public SourceTlsSpec tls;

    @JsonPropertyDescription(
            "Which programme of a multi-programme transport stream to watch, counted from 1. Default: the first.")
    @Min(1)
    @Max(65535)
    public Integer program;

    @JsonPropertyDescription(
            "Which audio tracks of the programme to watch, counted from 1. Default: every audio track.")
    @Size(max = 16)
    @ValidationRule(value = "self.all(t, t >= 1 && t <= 64)", message = MESSAGE_AUDIO_TRACKS)
    public List<Integer> audioTracks;
}
