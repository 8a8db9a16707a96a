package dev.monoscope.worker.source;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How the worker checks a TLS origin's certificate, for FFmpeg's requests and its own alike. Verified by default,
 * against an explicit CA bundle: the OpenSSL bundled with FFmpeg looks for its default bundle where it was built, not
 * where this system keeps one, so the system's bundle is found here and named to FFmpeg. Skipping verification is an
 * explicit choice ({@code --insecure-skip-tls-verify}).
 *
 * @param verify whether certificates are verified
 * @param caFile the PEM bundle of trusted CAs; null when none was given and none was found
 */
public record TlsSettings(boolean verify, Path caFile) {

    /** Where common Linux distributions keep the system's CA bundle. */
    static final List<Path> SYSTEM_BUNDLES = List.of(
            Path.of("/etc/ssl/certs/ca-certificates.crt"), // Debian, Ubuntu, Alpine
            Path.of("/etc/pki/tls/certs/ca-bundle.crt"), // Fedora, RHEL
            Path.of("/etc/ssl/ca-bundle.pem"), // openSUSE
            Path.of("/etc/ssl/cert.pem")); // Alpine, macOS

    /** Verified against the system's bundle (or the JDK's own trust store, for the worker's requests, when none). */
    public static final TlsSettings DEFAULT = new TlsSettings(true, systemBundle());

    /** From the options: {@code caFile} null for the system's bundle. */
    public static TlsSettings of(boolean insecureSkipVerify, Path caFile) {
        if (insecureSkipVerify) {
            return new TlsSettings(false, null);
        }
        if (caFile == null) {
            return DEFAULT;
        }
        if (!Files.isReadable(caFile)) {
            throw new IllegalArgumentException("the CA file " + caFile + " cannot be read");
        }
        return new TlsSettings(true, caFile.toAbsolutePath());
    }

    private static Path systemBundle() {
        String env = System.getenv("SSL_CERT_FILE");
        if (env != null && !env.isBlank() && Files.isReadable(Path.of(env))) {
            return Path.of(env);
        }
        return SYSTEM_BUNDLES.stream().filter(Files::isReadable).findFirst().orElse(null);
    }

    /** FFmpeg's TLS options (its tls protocol's {@code tls_verify} and {@code ca_file}). */
    public Map<String, String> ffmpegOptions() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("tls_verify", verify ? "1" : "0");
        if (verify && caFile != null) {
            o.put("ca_file", caFile.toString());
        }
        return o;
    }

    /** The SSL context of the worker's own requests. */
    SSLContext sslContext() throws GeneralSecurityException, IOException {
        SSLContext context = SSLContext.getInstance("TLS");
        if (!verify) {
            context.init(null, new TrustManager[] {new TrustingEveryone()}, null);
        } else if (caFile == null || this.equals(DEFAULT)) {
            return SSLContext.getDefault(); // the JDK's trust store: built from the same system bundle
        } else {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            try (InputStream in = Files.newInputStream(caFile)) {
                int i = 0;
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    store.setCertificateEntry("ca-" + i++, c);
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            context.init(null, tmf.getTrustManagers(), null);
        }
        return context;
    }

    /** What {@code --insecure-skip-tls-verify} asks for: any certificate, any host name. */
    private static final class TrustingEveryone extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
