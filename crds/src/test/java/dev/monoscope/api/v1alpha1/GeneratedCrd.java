package dev.monoscope.api.v1alpha1;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The CRDs as the fabric8 generator wrote them in this build, and where the committed copies live. */
final class GeneratedCrd {

    static final String FILE_NAME = "streammonitors.monoscope.dev-v1.yml";
    static final String MONITOR_CLASS_FILE_NAME = "monitorclasses.monoscope.dev-v1.yml";
    /** Every CRD of the API, each committed under crds/ (relative to the crds module, where the tests run). */
    static final List<String> FILE_NAMES = List.of(FILE_NAME, MONITOR_CLASS_FILE_NAME);

    private GeneratedCrd() {}

    static Path generated(String fileName) {
        return Path.of("target", "classes", "META-INF", "fabric8", fileName);
    }

    static String text(String fileName) {
        try {
            return Files.readString(generated(fileName));
        } catch (IOException e) {
            throw new UncheckedIOException("the build did not generate " + generated(fileName), e);
        }
    }

    static CustomResourceDefinition parse() {
        return parse(FILE_NAME);
    }

    static CustomResourceDefinition parse(String fileName) {
        try (InputStream in = Files.newInputStream(generated(fileName))) {
            return Serialization.unmarshal(in, CustomResourceDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JSONSchemaProps openApiSchema() {
        return parse().getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    }
}
