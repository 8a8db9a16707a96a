package dev.monoscope.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The operator's own copy of the CRD's checks: it must judge every case as the CEL rules do, and check ranges. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamMonitorValidatorTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.monoscope.api.v1alpha1.SpecCases#valid")
    void validManifestsPass(String description, Map<String, Object> manifest) {
        assertThat(validate(manifest)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.monoscope.api.v1alpha1.SpecCases#invalid")
    void invalidManifestsFailWithTheCelMessage(String description, Map<String, Object> manifest, String message) {
        assertThat(validate(manifest)).singleElement().asString().startsWith(message);
    }

    @Test
    void rangesOfTheSchemaAreChecked() {
        List<String> problems = validate(SpecCases.manifest("ranges", """
                source: {url: 'udp://239.0.0.1:5000', program: 0}
                replicas: 0
                detectors:
                  black: {pictureBlackRatio: 2}
                  silence: {thresholdDb: 6, minDurationSeconds: -1}
                  signalLoss: {timeoutSeconds: 0.1}
                gpu: {count: 2}"""));
        assertThat(problems)
                .containsExactlyInAnyOrder(
                        "spec.source.program must be between 1 and 65535 (it is 0)",
                        "spec.replicas must be between 1 and 16 (it is 0)",
                        "spec.detectors.black.pictureBlackRatio must be between 0.5 and 1 (it is 2)",
                        "spec.detectors.silence.thresholdDb must be between -120 and 0 (it is 6)",
                        "spec.detectors.silence.minDurationSeconds must be between 0 and 3600 (it is -1)",
                        "spec.detectors.signalLoss.timeoutSeconds must be between 0.5 and 300 (it is 0.1)",
                        "spec.gpu.count must be between 0 and 1 (it is 2)");
    }

    @Test
    void requiredFieldsAreNamed() {
        List<String> problems = validate(SpecCases.manifest("required", """
                source:
                  credentialsSecretRef: {usernameKey: user}
                alerts:
                  webhook:
                    urlSecretRef: {name: hooks}"""));
        assertThat(problems)
                .containsExactlyInAnyOrder(
                        "spec.source.url is required",
                        "spec.source.credentialsSecretRef.name is required",
                        "spec.alerts.webhook.urlSecretRef.key is required");
    }

    @Test
    void aMissingSpecIsReported() {
        StreamMonitor monitor = new StreamMonitor();
        monitor.setSpec(null);
        assertThat(StreamMonitorValidator.validate(monitor)).containsExactly("spec is required");
    }

    @Test
    void tooManyReplicasNamesBothNumbers() {
        List<String> problems = validate(SpecCases.manifest("numbers", """
                source: {url: 'udp://239.0.0.1:5000'}
                replicas: 2
                detectors:
                  black: {enabled: false}
                  freeze: {enabled: false}
                  silence: {enabled: false}
                  corruption: {enabled: false}
                  avSync: {enabled: false}
                  loudness: {enabled: false}
                  clipping: {enabled: false}
                  frameDrop: {enabled: false}
                  formatChange: {enabled: false}
                  transport: {enabled: false}
                  delivery: {enabled: false}
                  scte35: {enabled: false}
                  captions: {enabled: false}"""));
        assertThat(problems).containsExactly(StreamMonitorSpec.MESSAGE_REPLICAS + " (replicas 2, enabled detectors 1)");
    }

    private static List<String> validate(Map<String, Object> manifest) {
        return StreamMonitorValidator.validate(SpecCases.asStreamMonitor(manifest));
    }
}
