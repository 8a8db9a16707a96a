package dev.monoscope.worker.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.monoscope.worker.decode.DecoderOptions;
import dev.monoscope.worker.decode.InputException;
import dev.monoscope.worker.decode.StreamDecoder;
import dev.monoscope.worker.source.SourceUrl;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The worker reads MPEG-TS itself over RTP and progressive HTTP (with credentials) too: the analyser sees every packet
 * of the stream with packets dropped at known places, and counts exactly those continuity errors, while FFmpeg
 * decodes the same bytes.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TransportInputTest {

    private static final int TS = TsAnalyzer.PACKET_SIZE;
    private static final int VIDEO_PID = 0x100;

    @Test
    void rtpHeadersAreStripped() throws Exception {
        byte[] ts = Files.readAllBytes(TransportStreamTest.withDrops());
        int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Thread sender = new Thread(
                () -> {
                    try (DatagramSocket socket = new DatagramSocket()) {
                        Thread.sleep(1000);
                        int chunk = 7 * TS;
                        byte[] datagram = new byte[12 + chunk];
                        for (int off = 0, seq = 0; off < ts.length; off += chunk, seq++) {
                            int n = Math.min(chunk, ts.length - off);
                            datagram[0] = (byte) 0x80; // version 2, no padding, extension or CSRC
                            datagram[1] = 33; // MP2T
                            datagram[2] = (byte) (seq >> 8);
                            datagram[3] = (byte) seq;
                            System.arraycopy(ts, off, datagram, 12, n);
                            socket.send(new DatagramPacket(datagram, 12 + n, InetAddress.getLoopbackAddress(), port));
                            if (seq % 4 == 3) {
                                Thread.sleep(2);
                            }
                        }
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                },
                "test-rtp-sender");
        sender.start();
        TsAnalyzer a = new TsAnalyzer();
        long pictures = decodeToTheEnd(SourceUrl.parse("rtp://127.0.0.1:" + port, false, null, null), a);
        sender.join();

        assertThat(pictures).isPositive();
        assertThat(a.totalPackets()).isEqualTo(ts.length / TS);
        assertThat(a.counters().errors(TsCheck.CONTINUITY_COUNT_ERROR, VIDEO_PID))
                .isEqualTo(5);
        assertThat(a.counters().errors(TsCheck.CONTINUITY_COUNT_ERROR)).isEqualTo(5);
    }

    @Test
    void progressiveHttpWithCredentials() throws Exception {
        byte[] ts = Files.readAllBytes(TransportStreamTest.withDrops());
        String expected = "Basic " + Base64.getEncoder().encodeToString("ops:p@ss w".getBytes(StandardCharsets.UTF_8));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/live.ts", exchange -> {
            if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.sendResponseHeaders(401, -1);
                exchange.close();
                return;
            }
            exchange.getResponseHeaders().add("Content-Type", "video/mp2t");
            exchange.sendResponseHeaders(200, 0); // chunked: a live stream has no length
            try (OutputStream out = exchange.getResponseBody()) {
                for (int off = 0; off < ts.length; off += 7 * TS) {
                    out.write(ts, off, Math.min(7 * TS, ts.length - off));
                }
            }
        });
        server.start();
        try {
            TsAnalyzer a = new TsAnalyzer();
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/live.ts";
            long pictures = decodeToTheEnd(SourceUrl.parse(url, false, "ops", "p@ss w"), a);

            assertThat(pictures).isPositive();
            assertThat(a.totalPackets()).isEqualTo(ts.length / TS);
            assertThat(a.counters().errors(TsCheck.CONTINUITY_COUNT_ERROR, VIDEO_PID))
                    .isEqualTo(5);
            assertThat(a.counters().errors(TsCheck.CONTINUITY_COUNT_ERROR)).isEqualTo(5);
        } finally {
            server.stop(0);
        }
    }

    /** Decodes until the input ends or goes quiet; the number of pictures. */
    private static long decodeToTheEnd(SourceUrl url, TsAnalyzer a) throws InputException {
        long pictures = 0;
        try (StreamDecoder decoder =
                StreamDecoder.open(url, DecoderOptions.cpu(2.0).withTransport(a))) {
            while (true) {
                StreamDecoder.Kind kind;
                try {
                    kind = decoder.next();
                } catch (InputException e) {
                    break; // quiet for the timeout: the sender is done
                }
                if (kind == null) {
                    break;
                }
                if (kind == StreamDecoder.Kind.VIDEO) {
                    pictures++;
                }
            }
        }
        return pictures;
    }
}
