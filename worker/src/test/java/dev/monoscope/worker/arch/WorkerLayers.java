package dev.monoscope.worker.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The worker's packages from the bottom up, as the data flows: bytes in ({@code source}), MPEG-TS analysis
 * ({@code transport}), decoding ({@code decode}), detectors ({@code detect}), defect tracking ({@code defect}), the
 * outputs ({@code report}, {@code alert}), and on top the monitor loop, server mode and the command line. A package
 * may import the ones below it, never one above.
 */
final class WorkerLayers {

    static final List<String> BOTTOM_UP =
            List.of("source", "transport", "decode", "detect", "defect", "report", "alert", "monitor", "server", "cli");

    private WorkerLayers() {}

    /** The layer order for the packages under {@code base} ({@code base.source}, {@code base.transport}, …). */
    static ArchRule rule(String base) {
        List<ArchRule> rules = new ArrayList<>();
        for (int i = 0; i < BOTTOM_UP.size() - 1; i++) {
            String[] above = BOTTOM_UP.subList(i + 1, BOTTOM_UP.size()).stream()
                    .map(p -> base + "." + p + "..")
                    .toArray(String[]::new);
            rules.add(noClasses()
                    .that()
                    .resideInAPackage(base + "." + BOTTOM_UP.get(i) + "..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(above)
                    .as(BOTTOM_UP.get(i) + " imports no package above it: " + Arrays.toString(above))
                    .allowEmptyShould(true));
        }
        return CompositeArchRule.of(rules).as("worker packages import only the ones below them: " + BOTTOM_UP);
    }
}
