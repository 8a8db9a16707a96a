package dev.monoscope.worker.cli;

import dev.monoscope.api.DefectType;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Checks option values: a bad one is a parameter error that names the option (exit code 2). */
final class OptionChecks {

    private final CommandSpec spec;

    OptionChecks(CommandSpec spec) {
        this.spec = spec;
    }

    void defectType(String type, String option) {
        List<String> known =
                Arrays.stream(DefectType.values()).map(DefectType::id).toList();
        if (!known.contains(type)) {
            throw new ParameterException(
                    spec.commandLine(),
                    option + ": unknown defect type '" + type + "' (known: " + String.join(", ", known) + ")");
        }
    }

    Double positive(Double value, Double fallback, String option) {
        if (value == null) {
            return fallback;
        }
        if (value < 0) {
            throw new ParameterException(spec.commandLine(), option + " must not be negative");
        }
        return value;
    }

    Integer atLeastOne(Integer value, Integer fallback, String option) {
        if (value == null) {
            return fallback;
        }
        if (value < 1) {
            throw new ParameterException(spec.commandLine(), option + " must be at least 1");
        }
        return value;
    }

    Double fraction(Double value, Double fallback, String option) {
        if (value == null) {
            return fallback;
        }
        if (value < 0 || value > 1) {
            throw new ParameterException(spec.commandLine(), option + " must be between 0 and 1");
        }
        return value;
    }
}
