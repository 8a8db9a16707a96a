package dev.monoscope.api.v1alpha1;

/**
 * HLS delivery health, from the worker's own fetches of the playlist and segments of the variant it monitors: a live
 * playlist that stops advancing for more than 1.5 × its target duration ({@code stale_playlist}, critical), a listed
 * segment that cannot be fetched ({@code segment_unavailable}), segments that take longer to fetch than they last,
 * three in a row ({@code slow_delivery}), a media sequence that goes backwards or skips segments outside a declared
 * discontinuity ({@code media_sequence_regression}). Runs on every shard.
 */
public class DeliveryDetectorSpec extends DetectorSpec {

    public DeliveryDetectorSpec() {
        super(0.0);
    }
}
