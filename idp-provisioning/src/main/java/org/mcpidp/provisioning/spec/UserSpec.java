package org.mcpidp.provisioning.spec;

import java.util.List;

/** A demo user. The password is set when the user is created and never compared afterwards (it cannot be read). */
public record UserSpec(String username, String email, String firstName, String lastName, List<String> roles,
                       SecretRef password) {

    public UserSpec {
        roles = List.copyOf(roles);
    }
}
