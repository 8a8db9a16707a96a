package dev.monoscope.api.v1alpha1;

/**
 * SCTE-35 cues: splice_info_sections on the PIDs a PMT declares with stream type 0x86, and the playlist forms of HLS
 * (EXT-X-DATERANGE SCTE35-OUT/IN/CMD, EXT-X-CUE-OUT/-CONT/-IN, EXT-OATCLS-SCTE35). Every cue is reported; a section
 * with a bad CRC ({@code crc_error}), one that cannot be decoded ({@code malformed}), and an out-of-network cue whose
 * return has not come by its duration + 2 s ({@code missing_return}) are defects.
 */
public class Scte35DetectorSpec extends DetectorSpec {

    public Scte35DetectorSpec() {
        super(0.0);
    }
}
