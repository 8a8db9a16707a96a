package dev.monoscope.worker.decode;

import org.bytedeco.ffmpeg.avcodec.AVPacket;

/** What reads the demuxed packets of the chosen streams besides their decoders, each optional. */
final class PacketTaps {

    /** Runs for every video packet (the input's health watch). */
    Runnable videoHook;
    /** CEA-608/708 in the video packets. */
    CaptionScanner captions;
    /** The last seconds of packets, for the evidence clips. */
    PacketRing ring;

    /** A packet of track {@code t} was read (before it goes to the decoder). */
    void packetRead(AVPacket packet, Track t) {
        if (t.isVideo && videoHook != null) {
            videoHook.run();
        }
        if (t.isVideo && captions != null) {
            captions.packet(packet);
        }
        if (ring != null) {
            ring.add(packet, t);
        }
    }

    void close() {
        if (ring != null) {
            ring.close();
            ring = null;
        }
    }
}
