package org.mcpidp.provisioning.spec;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a tenant's people sign in from and how long a sign-in lasts ({@code people} in the spec).
 *
 * @param clients       the MCP clients its people run, in spec order, without duplicates
 * @param sessionIdle   how long a sign-in survives unused (Keycloak: SSO Session Idle; a refresh counts as use);
 *                      empty leaves the IdP's setting alone
 * @param sessionMax    the longest a sign-in lasts, used or not (Keycloak: SSO Session Max); empty leaves it alone
 * @param offlineAccess whether clients that were not declared in the spec's {@code clients} (profile clients and
 *                      self-registered ones) may get {@code offline_access}: refresh tokens that outlive the sign-in.
 *                      Off unless the spec says so
 */
public record PeopleSpec(List<ClientProfile> clients, Optional<Duration> sessionIdle, Optional<Duration> sessionMax,
                         boolean offlineAccess) {

    public PeopleSpec {
        clients = List.copyOf(clients);
    }

    public boolean uses(ClientProfile.Registration registration) {
        return clients.stream().anyMatch(c -> c.registration() == registration);
    }

    public List<ClientProfile> using(ClientProfile.Registration registration) {
        return clients.stream().filter(c -> c.registration() == registration).toList();
    }
}
