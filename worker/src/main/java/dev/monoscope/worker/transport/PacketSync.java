package dev.monoscope.worker.transport;

/**
 * Finds the 188-byte packets in raw bytes of any chunking: acquires sync on 0x47 and keeps it as ETSI TR 101 290 has
 * it (five correct sync bytes acquire sync, two wrong in a row lose it; until relocked, packets are not analysed).
 */
final class PacketSync {

    static final byte SYNC = 0x47;
    private static final int SYNC_ACQUIRE = 5;
    private static final int SYNC_LOSE = 2;
    private static final int PACKET_SIZE = TsAnalyzer.PACKET_SIZE;

    private final TsAnalyzer analyzer;
    private final byte[] pkt = new byte[PACKET_SIZE];
    private int fill;
    private boolean locked;
    /** Lost sync once: until relocked, packets are not analysed (a chance 0x47 is not a packet). */
    private boolean lostOnce;

    private int goodRun;
    private int badRun;
    private long bytePos;

    PacketSync(TsAnalyzer analyzer) {
        this.analyzer = analyzer;
    }

    void reset() {
        fill = 0;
        locked = false;
        lostOnce = false;
        goodRun = 0;
        badRun = 0;
        bytePos = 0;
    }

    /** Drops a partial packet: the next bytes start a new segment. */
    void dropPartial() {
        fill = 0;
    }

    /** Bytes of the stream read so far. */
    long bytePos() {
        return bytePos;
    }

    void feed(byte[] b, int off, int len) {
        int end = off + len;
        while (off < end) {
            if (fill == 0 && !locked) {
                int start = off;
                while (off < end && b[off] != SYNC) {
                    off++;
                }
                bytePos += off - start;
                if (off == end) {
                    return;
                }
            }
            int n = Math.min(PACKET_SIZE - fill, end - off);
            System.arraycopy(b, off, pkt, fill, n);
            fill += n;
            off += n;
            bytePos += n;
            if (fill == PACKET_SIZE) {
                fill = 0;
                packet(bytePos - PACKET_SIZE);
            }
        }
    }

    private void packet(long pos) {
        if (pkt[0] == SYNC) {
            badRun = 0;
            if (!locked && ++goodRun >= SYNC_ACQUIRE) {
                locked = true;
            }
            if (locked || !lostOnce) {
                analyzer.analyse(pkt, pos);
            }
            return;
        }
        analyzer.counters().totalPackets++;
        analyzer.counters().invalidSyncs++;
        if (locked) {
            analyzer.error(TsCheck.SYNC_BYTE_ERROR, -1, pos);
            if (++badRun < SYNC_LOSE) {
                return; // one bad sync byte: keep the alignment, drop the packet
            }
            locked = false;
            lostOnce = true;
            analyzer.error(TsCheck.TS_SYNC_LOSS, -1, pos);
        }
        goodRun = 0;
        badRun = 0;
        // hunt for the next sync byte within what we have
        int k = 1;
        while (k < PACKET_SIZE && pkt[k] != SYNC) {
            k++;
        }
        if (k < PACKET_SIZE) {
            System.arraycopy(pkt, k, pkt, 0, PACKET_SIZE - k);
            fill = PACKET_SIZE - k;
        }
    }
}
