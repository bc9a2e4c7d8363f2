package org.mcpidp.provisioning.spec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** A tenant's demo {@code users}: {@link UserSpec}s with unique lower-case names and declared roles only. */
final class UserBinder {

    // Keycloak stores user names lower-case; an upper-case name would never compare equal again.
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._@-]{0,99}");

    private UserBinder() {
    }

    static List<UserSpec> bind(SpecReader in, Node.Mapping tenant, String path, Set<String> roleNames) {
        List<UserSpec> users = new ArrayList<>();
        Set<String> usernames = new HashSet<>();
        in.each(tenant, "users", path, (item, p) -> {
            Node.Mapping u = in.mapping(item, p).orElse(null);
            if (u == null) {
                return;
            }
            in.fields(u, p, Set.of("username", "email", "firstName", "lastName", "roles", "password"));
            String username = in.required(u, "username", p, USERNAME, "a lower-case user name");
            if (username != null && !usernames.add(username)) {
                in.error(u.entries().get("username").value(), p + ".username", "duplicate user '" + username + "'");
            }
            String email = in.optional(u, "email", p).orElse("");
            if (!email.isEmpty() && !email.matches("[^@\\s]+@[^@\\s]+")) {
                in.error(u.entries().get("email").value(), p + ".email", "'" + email + "' is not an e-mail address");
            }
            users.add(new UserSpec(username, email, in.optional(u, "firstName", p).orElse(""),
                    in.optional(u, "lastName", p).orElse(""), in.references(u, "roles", p, roleNames, "role"),
                    in.secret(u, "password", p, username, "_PASSWORD")));
        });
        return users;
    }
}
