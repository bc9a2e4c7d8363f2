package org.mcpidp.provisioning.spec;

import java.util.Optional;

/**
 * A secret named by an environment variable, never a literal in the spec. When the variable is set its value is
 * used; otherwise the IdP (client secrets) or the tool (user passwords) generates one and hands it to the secret
 * sink under {@link #envName()}. Export writes {@code ${envName}}, which Keycloak's {@code --import-realm}
 * substitutes from its own environment.
 */
public record SecretRef(String envName, Optional<String> value) {

    /** Never shows the value: records print themselves in logs and assertion messages. */
    @Override
    public String toString() {
        return "SecretRef[" + envName + (value.isPresent() ? ", set" : ", unset") + "]";
    }
}
