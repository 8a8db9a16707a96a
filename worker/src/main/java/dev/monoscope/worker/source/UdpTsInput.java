package dev.monoscope.worker.source;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.Arrays;

/**
 * MPEG-TS over UDP or RTP: a socket bound to the URL's port (joined to the group when the address is multicast, as
 * FFmpeg's udp protocol does), read by its own thread into a bounded queue so that datagrams are not lost while the
 * decoder is busy; when the queue is full the newest datagrams are dropped (FFmpeg's overrun_nonfatal). RTP headers
 * are stripped.
 */
final class UdpTsInput extends QueuedTsInput {

    /** About 2 s of a 20 Mb/s stream in 1316-byte datagrams. */
    private static final int QUEUE_DATAGRAMS = 4096;

    private static final int MAX_DATAGRAM = 65536;

    private final MulticastSocket socket;
    private final boolean rtp;

    private UdpTsInput(MulticastSocket socket, boolean rtp) {
        super(QUEUE_DATAGRAMS, "monoscope-udp-" + socket.getLocalPort());
        this.socket = socket;
        this.rtp = rtp;
        start();
    }

    static UdpTsInput open(String url, boolean rtp) throws IOException {
        URI uri = URI.create(url);
        String host = uri.getHost();
        int port = uri.getPort();
        if (port <= 0) {
            throw new IOException("no port in " + SourceUrl.redact(url));
        }
        InetAddress address = host == null || host.isEmpty() || host.equals("@") ? null : InetAddress.getByName(host);
        MulticastSocket socket = new MulticastSocket(null);
        try {
            socket.setReuseAddress(true);
            socket.setReceiveBufferSize(4 << 20);
            socket.bind(new InetSocketAddress(port));
            if (address != null && address.isMulticastAddress()) {
                socket.joinGroup(new InetSocketAddress(address, port), null);
            }
            socket.setSoTimeout(100);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        return new UdpTsInput(socket, rtp);
    }

    @Override
    protected void receive() {
        byte[] buf = new byte[MAX_DATAGRAM];
        DatagramPacket packet = new DatagramPacket(buf, buf.length);
        while (!closed) {
            try {
                packet.setLength(buf.length);
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                return; // closed
            }
            int off = 0;
            int len = packet.getLength();
            if (rtp) {
                int header = rtpHeader(buf, len);
                if (header < 0) {
                    continue;
                }
                off = header;
                len -= header;
                if ((buf[0] & 0x20) != 0 && len > 0) {
                    len -= Math.min(len, buf[packet.getLength() - 1] & 0xFF); // padding
                }
            }
            if (len > 0) {
                offer(Arrays.copyOfRange(buf, off, off + len));
            }
        }
    }

    /** The RTP header's length (fixed part, CSRCs, extension), or -1 when this is not RTP version 2. */
    static int rtpHeader(byte[] b, int len) {
        if (len < 12 || (b[0] & 0xC0) != 0x80) {
            return -1;
        }
        int header = 12 + 4 * (b[0] & 0x0F);
        if ((b[0] & 0x10) != 0) {
            if (len < header + 4) {
                return -1;
            }
            header += 4 + 4 * (((b[header + 2] & 0xFF) << 8) | (b[header + 3] & 0xFF));
        }
        return header <= len ? header : -1;
    }

    @Override
    protected void release() {
        socket.close();
    }
}
