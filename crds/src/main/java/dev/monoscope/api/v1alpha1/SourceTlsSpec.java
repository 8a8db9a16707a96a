package dev.monoscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** How the worker checks a TLS origin (https, rtmps, rtsps): verified against the system's CAs by default. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = SourceTlsSpec.RULE_ONE_OF, message = SourceTlsSpec.MESSAGE_ONE_OF)
public class SourceTlsSpec {

    static final String RULE_ONE_OF =
            "!(has(self.insecureSkipVerify) && self.insecureSkipVerify && has(self.caBundle))";
    static final String MESSAGE_ONE_OF =
            "spec.source.tls: insecureSkipVerify and caBundle exclude each other (a CA bundle is for verifying)";

    @JsonPropertyDescription("Do not verify the origin's certificate: anyone between the worker and the origin can "
            + "then read the stream and the credentials sent to it. An explicit opt-out for origins with "
            + "self-signed certificates; prefer caBundle. Default false.")
    public Boolean insecureSkipVerify;

    @JsonPropertyDescription("The CAs that sign the origin's certificate (a private CA), instead of the system's.")
    public CaBundleSpec caBundle;

    /** Whether the worker is told not to verify. */
    public boolean skipsVerify() {
        return Boolean.TRUE.equals(insecureSkipVerify);
    }
}
