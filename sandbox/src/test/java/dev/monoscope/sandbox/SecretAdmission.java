package dev.monoscope.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The chart's ValidatingAdmissionPolicy on the real API server: a user who may create StreamMonitors but not get
 * Secrets cannot make one that names a Secret (the kubelet would hand its values to the origin the user names); an
 * admin can, and the user can make one that names none. Users are impersonated with the admin kubeconfig.
 */
final class SecretAdmission {

    static final String USER = "stream-author";
    static final String SECRET = "feed-credentials";
    static final String NAMESPACE = "default";

    private final Kubectl kubectl;

    SecretAdmission(Kubectl kubectl) {
        this.kubectl = kubectl;
    }

    /** A Secret, and a user with every verb on StreamMonitors in the namespace and none on Secrets. */
    void setUp() throws IOException, InterruptedException {
        run(
                "create",
                "secret",
                "generic",
                SECRET,
                "-n",
                NAMESPACE,
                "--from-literal=username=u",
                "--from-literal=password=p");
        run(
                "create",
                "role",
                "stream-author",
                "-n",
                NAMESPACE,
                "--verb=get,list,watch,create,update,patch,delete",
                "--resource=streammonitors.monoscope.dev");
        run("create", "rolebinding", "stream-author", "-n", NAMESPACE, "--role=stream-author", "--user=" + USER);
        assertThat(kubectl.run("auth", "can-i", "create", "streammonitors", "-n", NAMESPACE, "--as=" + USER)
                        .output())
                .isEqualTo("yes");
        assertThat(kubectl.run("auth", "can-i", "get", "secret/" + SECRET, "-n", NAMESPACE, "--as=" + USER)
                        .output())
                .isEqualTo("no");
    }

    /** What the user is told when they name the Secret; the policy is loaded asynchronously after the install. */
    String refusalOfTheUser(String url) throws IOException {
        Path withSecret = manifest("with-secret", url, true);
        String[] output = new String[1];
        await("the admission policy refuses the user's StreamMonitor")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    Kubectl.Result r = kubectl.run("create", "-f", withSecret.toString(), "--as=" + USER);
                    output[0] = r.output();
                    if (r.exit() == 0) { // not active yet: take it back and try again
                        run("delete", "-f", withSecret.toString(), "--wait=true");
                    }
                    return r.exit() != 0;
                });
        return output[0];
    }

    /** Whether the user's StreamMonitor that names no Secret, and the admin's that names one, are created. */
    void othersAreAllowed(String url) throws IOException, InterruptedException {
        Path withoutSecret = manifest("without-secret", url, false);
        assertThat(kubectl.run("create", "-f", withoutSecret.toString(), "--as=" + USER)
                        .output())
                .contains("created");
        Path withSecret = manifest("with-secret", url, true);
        assertThat(kubectl.run("create", "-f", withSecret.toString()).output()).contains("created");
        // an update by the user of a StreamMonitor that names the Secret is refused too
        Kubectl.Result edit = kubectl.run("label", "sm", "with-secret", "-n", NAMESPACE, "team=news", "--as=" + USER);
        assertThat(edit.exit()).isNotZero();
        assertThat(edit.output()).contains("you may not get Secret " + SECRET);
        run("delete", "-f", withoutSecret.toString());
        run("delete", "-f", withSecret.toString());
    }

    private static Path manifest(String name, String url, boolean withSecret) throws IOException {
        String credentials = withSecret ? """
                    credentialsSecretRef:
                      name: %s
                """.formatted(SECRET) : "";
        return Files.writeString(Files.createTempFile(name, ".yaml"), """
                apiVersion: monoscope.dev/v1alpha1
                kind: StreamMonitor
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  suspend: true
                  source:
                    url: %s
                %s""".formatted(name, NAMESPACE, url, credentials));
    }

    private void run(String... args) throws IOException, InterruptedException {
        Kubectl.Result r = kubectl.run(args);
        assertThat(r.exit()).as(String.join(" ", args) + ": " + r.output()).isZero();
    }
}
