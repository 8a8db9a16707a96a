package dev.monoscope.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.monoscope.api.v1alpha1.MonitorClass;
import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.v1alpha1.StreamMonitorValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every StreamMonitor a user may copy from examples/ is one the operator accepts, and the GitOps kustomization is whole. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExamplesTest {

    private static final Path EXAMPLES = Path.of("..", "examples");
    private static final Path GITOPS = EXAMPLES.resolve("gitops");
    private static final ObjectMapper YAML = new YAMLMapper();
    /** Unknown fields fail, so that a misspelt key in an example is caught rather than silently pruned. */
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    @Test
    void everyStreamMonitorParsesAndPassesTheOperatorsValidation() throws IOException {
        List<JsonNode> monitors = documents(EXAMPLES).stream()
                .filter(doc -> "StreamMonitor".equals(doc.path("kind").asText()))
                .toList();
        assertThat(monitors).hasSizeGreaterThanOrEqualTo(4);
        for (JsonNode manifest : monitors) {
            String name = manifest.path("metadata").path("name").asText();
            assertThat(manifest.path("apiVersion").asText()).as(name).isEqualTo("monoscope.dev/v1alpha1");
            StreamMonitor monitor = STRICT.treeToValue(manifest, StreamMonitor.class);
            assertThat(StreamMonitorValidator.validate(monitor))
                    .as("examples: StreamMonitor %s", name)
                    .isEmpty();
        }
    }

    @Test
    void gitopsHoldsWhatIssueFiveLists() throws IOException {
        List<JsonNode> monitors = new ArrayList<>();
        for (JsonNode doc : documents(GITOPS)) {
            if ("StreamMonitor".equals(doc.path("kind").asText())) {
                monitors.add(doc);
            }
        }
        assertThat(monitors).anySatisfy(m -> {
            assertThat(m.at("/spec/source/url").asText()).startsWith("https://").contains(".m3u8");
            assertThat(m.at("/spec/source/credentialsSecretRef/name").asText()).isNotEmpty();
        });
        // hostNetwork is the admin's: the multicast example names a class of its own that allows it.
        List<JsonNode> classes = documents(GITOPS).stream()
                .filter(d -> "MonitorClass".equals(d.path("kind").asText()))
                .toList();
        assertThat(monitors).anySatisfy(m -> {
            assertThat(m.at("/spec/source/url").asText()).startsWith("udp://239.");
            assertThat(m.at("/spec/worker/hostNetwork").asBoolean()).isTrue();
            assertThat(classes).anySatisfy(c -> {
                assertThat(c.at("/metadata/name").asText())
                        .isEqualTo(m.at("/spec/monitorClassName").asText());
                assertThat(c.at("/spec/allowed/hostNetwork").asBoolean()).isTrue();
                assertThat(STRICT.treeToValue(c, MonitorClass.class).getSpec().allowed.hostNetwork)
                        .isTrue();
            });
        });
        assertThat(monitors)
                .anySatisfy(m -> assertThat(m.at("/spec/decoder").asText()).isEqualTo("gpu"));
        assertThat(monitors)
                .anySatisfy(m -> assertThat(m.at("/spec/replicas").asInt()).isEqualTo(2));
        // Every Secret a StreamMonitor names is in the Secret template, with the key it names.
        List<JsonNode> secrets = documents(GITOPS).stream()
                .filter(d -> "Secret".equals(d.path("kind").asText()))
                .toList();
        for (JsonNode m : monitors) {
            JsonNode credentials = m.at("/spec/source/credentialsSecretRef");
            if (!credentials.isMissingNode()) {
                assertThat(secrets).anySatisfy(s -> {
                    assertThat(s.at("/metadata/name").asText())
                            .isEqualTo(credentials.path("name").asText());
                    assertThat(s.path("stringData")
                                    .has(credentials.path("usernameKey").asText("username")))
                            .isTrue();
                    assertThat(s.path("stringData")
                                    .has(credentials.path("passwordKey").asText("password")))
                            .isTrue();
                });
            }
            JsonNode webhook = m.at("/spec/alerts/webhook/urlSecretRef");
            if (!webhook.isMissingNode()) {
                assertThat(secrets).anySatisfy(s -> {
                    assertThat(s.at("/metadata/name").asText())
                            .isEqualTo(webhook.path("name").asText());
                    assertThat(s.path("stringData").has(webhook.path("key").asText()))
                            .isTrue();
                });
            }
        }
    }

    @Test
    void kustomizationListsEveryFileAndNothingMissing() throws IOException {
        JsonNode kustomization =
                YAML.readTree(GITOPS.resolve("kustomization.yaml").toFile());
        assertThat(kustomization.path("namespace").asText()).isEqualTo("broadcast");
        List<String> resources = new ArrayList<>();
        kustomization.path("resources").forEach(r -> resources.add(r.asText()));
        List<String> files;
        try (Stream<Path> list = Files.list(GITOPS)) {
            files = list.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml"))
                    .sorted()
                    .toList();
        }
        assertThat(resources).containsExactlyInAnyOrderElementsOf(files);
        assertThat(documents(GITOPS)).anySatisfy(d -> {
            assertThat(d.path("kind").asText()).isEqualTo("Namespace");
            assertThat(d.at("/metadata/name").asText()).isEqualTo("broadcast");
        });
    }

    private static List<JsonNode> documents(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(p -> p.toString().matches(".*\\.ya?ml$"))
                    .sorted()
                    .toList();
        }
        List<JsonNode> docs = new ArrayList<>();
        for (Path file : files) {
            try (var parser = new YAMLFactory().createParser(file.toFile())) {
                YAML.readValues(parser, JsonNode.class).forEachRemaining(doc -> {
                    if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                        docs.add(doc);
                    }
                });
            }
        }
        return docs;
    }
}
