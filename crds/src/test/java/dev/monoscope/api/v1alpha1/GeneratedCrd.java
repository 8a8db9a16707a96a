package dev.monoscope.api.v1alpha1;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The CRD as the fabric8 generator wrote it in this build, and where the committed copy lives. */
final class GeneratedCrd {

    static final String FILE_NAME = "streammonitors.monoscope.dev-v1.yml";
    /** Relative to the crds module, where the tests run. */
    static final Path COMMITTED = Path.of(FILE_NAME);

    static final Path GENERATED = Path.of("target", "classes", "META-INF", "fabric8", FILE_NAME);

    private GeneratedCrd() {}

    static String text() {
        try {
            return Files.readString(GENERATED);
        } catch (IOException e) {
            throw new UncheckedIOException("the build did not generate " + GENERATED, e);
        }
    }

    static CustomResourceDefinition parse() {
        try (InputStream in = Files.newInputStream(GENERATED)) {
            return Serialization.unmarshal(in, CustomResourceDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JSONSchemaProps openApiSchema() {
        return parse().getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    }
}
