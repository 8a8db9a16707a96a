package dev.monoscope.worker.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.monoscope.worker.cli.CliRun;
import dev.monoscope.worker.monitor.Monitor;
import dev.monoscope.worker.monitor.MonitorSettings;
import dev.monoscope.worker.report.ReportState;
import dev.monoscope.worker.source.TlsSettings;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An HTTPS origin with a self-signed certificate (made by keytool at test time): refused by default, by the worker's
 * own requests and FFmpeg's alike; accepted with its certificate given as the CA file, or with verification skipped.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TlsVerificationTest {

    @TempDir
    static Path dir;

    private static HttpsServer server;
    private static Path caFile;

    @BeforeAll
    static void serve() throws Exception {
        Path keystore = dir.resolve("origin.p12");
        caFile = dir.resolve("origin-ca.pem");
        String keytool =
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(
                keytool,
                "-genkeypair",
                "-alias",
                "origin",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit");
        run(
                keytool,
                "-exportcert",
                "-rfc",
                "-alias",
                "origin",
                "-keystore",
                keystore.toString(),
                "-storepass",
                "changeit",
                "-file",
                caFile.toString());

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);

        byte[] segment = Files.readAllBytes(HostileOrigin.segment());
        byte[] playlist = ("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:1\n#EXT-X-PLAYLIST-TYPE:VOD\n"
                        + "#EXTINF:1.0,\ns0.ts\n#EXTINF:1.0,\ns1.ts\n#EXT-X-ENDLIST\n")
                .getBytes(StandardCharsets.UTF_8);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", ex -> {
            byte[] body = ex.getRequestURI().getPath().endsWith(".m3u8") ? playlist : segment;
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static String url(String path) {
        return "https://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Test
    void aSelfSignedOriginIsRefusedByDefault() {
        for (String path : List.of("/vod.m3u8", "/clip.ts")) {
            CliRun run = CliRun.of("monitor", "--json", url(path));
            assertThat(run.summary().path("error").asText()).as(path).isEqualTo("tls");
            assertThat(run.exitCode()).as(path).isNotZero();
        }
    }

    @Test
    void itsCertificateAsTheCaFileIsAccepted() throws Exception {
        CliRun run = CliRun.of("monitor", "--json", "--ca-file", caFile.toString(), url("/vod.m3u8"));
        assertThat(run.summary().path("error").isMissingNode()).as(run.stdout()).isTrue();
        assertThat(run.summary().path("frames").asLong()).isPositive();

        // progressive TS is live: it runs until stopped
        MonitorSettings settings = new MonitorSettings();
        settings.url = url("/clip.ts");
        settings.tls = TlsSettings.of(false, caFile);
        settings.endOfInput = MonitorSettings.EndOfInput.RECONNECT;
        Monitor monitor = new Monitor(settings, new ReportState(), List.of());
        Thread pipeline = new Thread(monitor::run, "tls-test-pipeline");
        pipeline.start();
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (monitor.summary().videoFrames() < 25 && System.nanoTime() < end) {
                Thread.sleep(50); // the poll interval, not a condition
            }
            assertThat(monitor.summary().videoFrames()).isGreaterThanOrEqualTo(25);
        } finally {
            monitor.stop();
            pipeline.join(5_000);
        }
    }

    @Test
    void skippingVerificationIsAnExplicitChoice() {
        CliRun run = CliRun.of("monitor", "--json", "--insecure-skip-tls-verify", url("/vod.m3u8"));
        assertThat(run.summary().path("frames").asLong()).isPositive();
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0)
                .as(String.join(" ", command) + ": " + out)
                .isTrue();
    }
}
