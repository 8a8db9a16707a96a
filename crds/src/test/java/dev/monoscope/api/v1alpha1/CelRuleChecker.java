package dev.monoscope.api.v1alpha1;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a CRD's {@code x-kubernetes-validations} the way the API server does, as far as these rules need:
 * schema defaults are applied first, each rule runs with {@code self} bound to the value at the schema node that
 * carries it (and only when that value is present), and a rule that is false or fails to evaluate yields its
 * message. The test API server runs no CEL, so this is what proves the rules.
 */
final class CelRuleChecker {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JSONSchemaProps root;
    private final Cel cel = CelFactory.standardCelBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .setResultType(SimpleType.BOOL)
            .build();

    CelRuleChecker(JSONSchemaProps root) {
        this.root = root;
    }

    /** Every rule of the schema, compiled, so that a rule the API server would reject fails here too. */
    List<String> compileAll() {
        List<String> rules = new ArrayList<>();
        collectRules(root, rules);
        for (String rule : rules) {
            compile(rule);
        }
        return rules;
    }

    /** The messages of the rules the object breaks, after defaulting; empty when it passes. */
    List<String> violations(Map<String, Object> object) {
        Object defaulted = applyDefaults(root, toCel(JSON.convertValue(object, Object.class)));
        List<String> messages = new ArrayList<>();
        check(root, defaulted, messages);
        return messages;
    }

    private void check(JSONSchemaProps schema, Object value, List<String> messages) {
        if (value == null || schema == null) {
            return;
        }
        if (schema.getXKubernetesValidations() != null) {
            for (ValidationRule rule : schema.getXKubernetesValidations()) {
                if (!holds(rule.getRule(), value)) {
                    messages.add(rule.getMessage());
                }
            }
        }
        if (value instanceof Map<?, ?> map && schema.getProperties() != null) {
            schema.getProperties().forEach((name, child) -> check(child, map.get(name), messages));
        }
        if (value instanceof List<?> list
                && schema.getItems() != null
                && schema.getItems().getSchema() != null) {
            list.forEach(item -> check(schema.getItems().getSchema(), item, messages));
        }
    }

    private boolean holds(String rule, Object self) {
        try {
            return Boolean.TRUE.equals(cel.createProgram(compile(rule)).eval(Map.of("self", self)));
        } catch (CelEvaluationException e) {
            return false; // the API server reports an evaluation error as a failed rule
        }
    }

    private CelAbstractSyntaxTree compile(String rule) {
        try {
            return cel.compile(rule).getAst();
        } catch (CelValidationException e) {
            throw new IllegalArgumentException("CEL rule does not compile: " + rule + "\n" + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Object applyDefaults(JSONSchemaProps schema, Object value) {
        if (schema == null) {
            return value;
        }
        if (value instanceof Map<?, ?> map && schema.getProperties() != null) {
            Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) map);
            schema.getProperties().forEach((name, child) -> {
                if (!copy.containsKey(name) && child.getDefault() != null) {
                    copy.put(name, toCel(JSON.convertValue(child.getDefault(), Object.class)));
                }
                if (copy.containsKey(name)) {
                    copy.put(name, applyDefaults(child, copy.get(name)));
                }
            });
            return copy;
        }
        if (value instanceof List<?> list
                && schema.getItems() != null
                && schema.getItems().getSchema() != null) {
            return list.stream()
                    .map(item -> applyDefaults(schema.getItems().getSchema(), item))
                    .toList();
        }
        return value;
    }

    /** JSON numbers as CEL sees them: integers are int (Long), the rest double. */
    @SuppressWarnings("unchecked")
    private static Object toCel(Object json) {
        if (json instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<String, Object>) map).forEach((k, v) -> out.put(k, toCel(v)));
            return out;
        }
        if (json instanceof List<?> list) {
            return list.stream().map(CelRuleChecker::toCel).toList();
        }
        if (json instanceof Integer || json instanceof Short || json instanceof Byte) {
            return ((Number) json).longValue();
        }
        if (json instanceof java.math.BigInteger big) {
            return big.longValue();
        }
        if (json instanceof Float || json instanceof java.math.BigDecimal) {
            return ((Number) json).doubleValue();
        }
        return json;
    }

    private static void collectRules(JSONSchemaProps schema, List<String> rules) {
        if (schema == null) {
            return;
        }
        if (schema.getXKubernetesValidations() != null) {
            schema.getXKubernetesValidations().forEach(r -> rules.add(r.getRule()));
        }
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(child -> collectRules(child, rules));
        }
        if (schema.getItems() != null) {
            collectRules(schema.getItems().getSchema(), rules);
        }
        if (schema.getAdditionalProperties() != null) {
            collectRules(schema.getAdditionalProperties().getSchema(), rules);
        }
    }
}
