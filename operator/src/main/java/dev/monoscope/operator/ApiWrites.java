package dev.monoscope.operator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

/** Counts the operator's own API writes ({@code monoscope_operator_api_writes_total{resource,verb}}). */
@Singleton
public class ApiWrites {

    public static final String METRIC = "monoscope.operator.api.writes";

    private final MeterRegistry registry;

    public ApiWrites(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(ApiVerbs.Resource resource, String verb) {
        if (!ApiVerbs.TABLE.getOrDefault(resource, java.util.List.of()).contains(verb)) {
            throw new IllegalStateException("verb " + verb + " on " + resource + " is not listed in ApiVerbs");
        }
        Counter.builder(METRIC)
                .description("Kubernetes API writes made by the operator")
                .tag("resource", resource.resource())
                .tag("verb", verb)
                .register(registry)
                .increment();
    }

    /** Total writes so far, for tests and the benchmark. */
    public double total() {
        return registry.find(METRIC).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    public double total(ApiVerbs.Resource resource, String verb) {
        Counter c = registry.find(METRIC)
                .tag("resource", resource.resource())
                .tag("verb", verb)
                .counter();
        return c == null ? 0 : c.count();
    }
}
