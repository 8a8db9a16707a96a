package dev.monoscope.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** A kubeconfig for one user of the sandbox cluster: the API's URL, its CA and a client certificate, all inline. */
final class Kubeconfig {

    private Kubeconfig() {}

    /** The kubeconfig's text; {@code pki} holds {@code ca.crt}, {@code <user>.crt} and {@code <user>.key}. */
    static String of(String server, Path pki, String user, String namespace) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: monoscope-sandbox
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                contexts:
                - name: monoscope-sandbox
                  context:
                    cluster: monoscope-sandbox
                    user: %s
                    namespace: %s
                current-context: monoscope-sandbox
                users:
                - name: %s
                  user:
                    client-certificate-data: %s
                    client-key-data: %s
                """.formatted(
                        server,
                        base64(pki.resolve("ca.crt")),
                        user,
                        namespace,
                        user,
                        base64(pki.resolve(user + ".crt")),
                        base64(pki.resolve(user + ".key")));
    }

    static void write(Path file, String kubeconfig) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, kubeconfig);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String base64(Path file) {
        try {
            return Base64.getEncoder().encodeToString(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
