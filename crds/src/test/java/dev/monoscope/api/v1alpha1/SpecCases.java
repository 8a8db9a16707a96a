package dev.monoscope.api.v1alpha1;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * StreamMonitors that the CRD's CEL rules and {@link StreamMonitorValidator} must judge alike: valid ones, and
 * invalid ones with the message that must come back. Written as the YAML a user would apply.
 */
final class SpecCases {

    static final String FIFTY_THREE = "a".repeat(53);

    private SpecCases() {}

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("minimal", manifest("news", "source: {url: 'udp://239.0.0.1:5000'}")),
                Arguments.of(
                        "name of 52 characters",
                        manifest("b".repeat(52), "source: {url: 'https://cdn.example.com/live/master.m3u8'}")),
                Arguments.of(
                        "every scheme but file",
                        manifest("rtsps", "source: {url: 'rtsps://camera.example.com/stream'}")),
                Arguments.of("replicas equal to the enabled detectors", manifest("sharded", """
                        source: {url: 'srt://ingest.example.com:9000'}
                        replicas: 5""")),
                Arguments.of("replicas 2 with two detectors enabled", manifest("two", """
                        source: {url: 'rtmp://ingest.example.com/live/a'}
                        replicas: 2
                        detectors:
                          black: {enabled: true}
                          freeze: {enabled: false}
                          silence: {enabled: false}
                          corruption: {enabled: false}
                          signalLoss: {enabled: true}
                          avSync: {enabled: false}
                          loudness: {enabled: false}
                          clipping: {enabled: false}
                          frameDrop: {enabled: false}
                          formatChange: {enabled: false}
                          transport: {enabled: false}
                          delivery: {enabled: false}
                          scte35: {enabled: false}
                          captions: {enabled: false}""")),
                Arguments.of("decoder gpu with one GPU", manifest("gpu", """
                        source: {url: 'http://origin.example.com/channel.ts'}
                        decoder: gpu
                        gpu: {count: 1, resourceName: nvidia.com/gpu, fallbackToCpu: true}""")),
                Arguments.of("decoder gpu, count left to its default", manifest("gpu-default", """
                        source: {url: 'http://origin.example.com/channel.ts'}
                        decoder: gpu""")),
                Arguments.of("decoder cpu without GPU", manifest("cpu", """
                        source: {url: 'rtp://239.1.1.1:5004', program: 2, audioTracks: [1, 2]}
                        decoder: cpu
                        gpu: {count: 0}""")),
                Arguments.of("a private CA bundle from a ConfigMap", manifest("private-ca", """
                        source:
                          url: 'https://origin.internal.example/live.m3u8'
                          tls: {caBundle: {configMapRef: {name: origin-ca, key: bundle.pem}}}""")),
                Arguments.of("the explicit opt-out of verification", manifest("self-signed", """
                        source:
                          url: 'rtsps://camera.example.com/stream'
                          tls: {insecureSkipVerify: true}""")),
                Arguments.of(
                        "defect details of any JSON type in status",
                        withStatus(manifest("status", "source: {url: 'udp://239.0.0.1:5000'}"))));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of(
                        "file URL", manifest("file", "source: {url: 'file:///etc/passwd'}"), SourceSpec.MESSAGE_URL),
                Arguments.of(
                        "URL without scheme",
                        manifest("noscheme", "source: {url: 'example.com/live.ts'}"),
                        SourceSpec.MESSAGE_URL),
                Arguments.of(
                        "replicas above the enabled detectors",
                        manifest("toomany", """
                        source: {url: 'udp://239.0.0.1:5000'}
                        replicas: 3
                        detectors:
                          black: {enabled: true}
                          freeze: {enabled: false}
                          silence: {enabled: false}
                          corruption: {enabled: false}
                          signalLoss: {enabled: true}
                          avSync: {enabled: false}
                          loudness: {enabled: false}
                          clipping: {enabled: false}
                          frameDrop: {enabled: false}
                          formatChange: {enabled: false}
                          transport: {enabled: false}
                          delivery: {enabled: false}
                          scte35: {enabled: false}
                          captions: {enabled: false}"""),
                        StreamMonitorSpec.MESSAGE_REPLICAS),
                Arguments.of(
                        "replicas above every detector",
                        manifest(
                                "six", """
                        source: {url: 'udp://239.0.0.1:5000'}
                        replicas: %d""".formatted(new DetectorsSpec().byKey().size() + 1)),
                        StreamMonitorSpec.MESSAGE_REPLICAS),
                Arguments.of("decoder cpu with a GPU", manifest("cpugpu", """
                        source: {url: 'udp://239.0.0.1:5000'}
                        decoder: cpu
                        gpu: {count: 1}"""), StreamMonitorSpec.MESSAGE_CPU_NO_GPU),
                Arguments.of(
                        "decoder gpu without a GPU", manifest("gpunone", """
                        source: {url: 'udp://239.0.0.1:5000'}
                        decoder: gpu
                        gpu: {count: 0}"""), StreamMonitorSpec.MESSAGE_GPU_NEEDS_GPU),
                Arguments.of("unknown decoder", manifest("vaapi", """
                        source: {url: 'udp://239.0.0.1:5000'}
                        decoder: vaapi"""), StreamMonitorSpec.MESSAGE_DECODER),
                Arguments.of("audio track 0", manifest("track0", """
                        source: {url: 'udp://239.0.0.1:5000', audioTracks: [0]}"""), SourceSpec.MESSAGE_AUDIO_TRACKS),
                Arguments.of("no verification and a CA bundle", manifest("both", """
                        source:
                          url: 'https://origin.example.com/live.m3u8'
                          tls: {insecureSkipVerify: true, caBundle: {configMapRef: {name: origin-ca}}}"""), SourceTlsSpec.MESSAGE_ONE_OF),
                Arguments.of(
                        "name of 53 characters",
                        manifest(FIFTY_THREE, "source: {url: 'udp://239.0.0.1:5000'}"),
                        "metadata.name must be at most 52 characters, so that worker pod names and label values fit"));
    }

    static Map<String, Object> manifest(String name, String specYaml) {
        String yaml = """
                apiVersion: monoscope.dev/v1alpha1
                kind: StreamMonitor
                metadata:
                  name: %s
                  namespace: streams
                spec:
                %s
                """.formatted(name, specYaml.indent(2).stripTrailing());
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = new ObjectMapper(new YAMLFactory()).readValue(yaml, Map.class);
            return map;
        } catch (IOException e) {
            throw new UncheckedIOException(yaml, e);
        }
    }

    static StreamMonitor asStreamMonitor(Map<String, Object> manifest) {
        return Serialization.unmarshal(Serialization.asJson(manifest), StreamMonitor.class);
    }

    private static Map<String, Object> withStatus(Map<String, Object> manifest) {
        Map<String, Object> copy = new java.util.LinkedHashMap<>(manifest);
        copy.put(
                "status",
                Map.of(
                        "activeDefects",
                        java.util.List.of(Map.of(
                                "id",
                                3,
                                "type",
                                "silence",
                                "details",
                                Map.of("channels", java.util.List.of(1, 2), "levelDb", -91.5, "layout", "stereo")))));
        return copy;
    }
}
