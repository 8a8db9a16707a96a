package dev.monoscope.operator;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;

/** OperatorConfig as Quarkus would map it from these properties (defaults for the rest), for plain unit tests. */
public final class TestConfig {

    private TestConfig() {}

    public static OperatorConfig of(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withMapping(OperatorConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter()) // "5s", as Quarkus reads it
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .build()
                .getConfigMapping(OperatorConfig.class);
    }
}
