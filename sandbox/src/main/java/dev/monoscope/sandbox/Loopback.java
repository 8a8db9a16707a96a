package dev.monoscope.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** The sandbox's servers listen on 127.0.0.1 only. */
final class Loopback {

    private Loopback() {}

    /** A port free on 127.0.0.1 right now (for a server started just after). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
