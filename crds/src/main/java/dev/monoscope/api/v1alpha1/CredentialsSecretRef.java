package dev.monoscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

/** A Secret in the StreamMonitor's namespace that holds source credentials. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CredentialsSecretRef {

    @JsonPropertyDescription("Name of the Secret, in the StreamMonitor's namespace.")
    @Required
    public String name;

    @JsonPropertyDescription("Key of the username in the Secret. Default: username.")
    @Default("username")
    public String usernameKey = "username";

    @JsonPropertyDescription("Key of the password in the Secret. Default: password.")
    @Default("password")
    public String passwordKey = "password";
}
