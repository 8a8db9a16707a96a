package dev.monoscope.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.monoscope.api.v1alpha1.DetectorsSpec;
import org.junit.jupiter.api.Test;

/** The names the HLS delivery and SCTE-35 defects are pinned to: id, CRD key, Event reason, severity. */
class DeliveryAndCueTypesTest {

    @Test
    void deliveryIsADeliveryErrorAndAStalePlaylistIsCritical() {
        DefectType delivery = DefectType.fromId("delivery").orElseThrow();

        assertThat(delivery.detectorKey()).isEqualTo("delivery");
        assertThat(delivery.eventReason()).isEqualTo("DeliveryError");
        assertThat(delivery.severity()).isEqualTo(DefectType.Severity.MAJOR);
        assertThat(delivery.severity("segment_unavailable")).isEqualTo(DefectType.Severity.MAJOR);
        assertThat(delivery.severity("stale_playlist")).isEqualTo(DefectType.Severity.CRITICAL);
    }

    @Test
    void scte35IsACueError() {
        DefectType scte35 = DefectType.fromId("scte35").orElseThrow();

        assertThat(scte35.detectorKey()).isEqualTo("scte35");
        assertThat(scte35.eventReason()).isEqualTo("CueError");
        assertThat(scte35.severity("missing_return")).isEqualTo(DefectType.Severity.MAJOR);
    }

    @Test
    void bothAreDetectorKeysOnByDefault() {
        assertThat(new DetectorsSpec().enabledKeys()).contains("delivery", "scte35");
    }
}
