package org.mcpidp.verifier;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who is calling, as established by a verified access token. The same shape whichever path verified it (JWT,
 * introspection, or a custom verification), so authorization code never cares how a token was checked.
 *
 * @param subject   {@code sub}: the user, or the service-account user of a machine client
 * @param clientId  the OAuth client the token was issued to ({@code azp}, {@code client_id} or Entra's {@code appid})
 * @param issuer    {@code iss}, exactly as issued
 * @param audiences {@code aud}: who the token is for
 * @param scopes    granted scopes ({@code scope} or Entra's {@code scp}, space-separated)
 * @param roles     realm/app roles ({@code realm_access.roles}, {@code resource_access.<client>.roles} of the
 *                  configured clients, and {@code roles})
 * @param expiresAt {@code exp}
 * @param claims    every claim as received, for what this record does not name (unmodifiable; a claim whose value
 *                  is JSON {@code null} is left out: it says nothing, and unmodifiable maps cannot hold null)
 */
public record AuthInfo(String subject,
                       Optional<String> clientId,
                       String issuer,
                       Set<String> audiences,
                       Set<String> scopes,
                       Set<String> roles,
                       Instant expiresAt,
                       Map<String, Object> claims) {

    public AuthInfo {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(expiresAt, "expiresAt");
        audiences = Set.copyOf(audiences);
        scopes = Set.copyOf(scopes);
        roles = Set.copyOf(roles);
        claims = withoutNulls(claims);
    }

    /**
     * The person's (or agent's) login name, when the token names one: {@code preferred_username} (OIDC; Keycloak
     * tokens, Entra v2), else {@code username} (Keycloak's introspection answer), else {@code upn} (Entra v1).
     * Empty when none is a non-blank string; never derived from anything else.
     */
    public Optional<String> username() {
        return text("preferred_username").or(() -> text("username")).or(() -> text("upn"));
    }

    /** The display name ({@code name}), when the token carries it. */
    public Optional<String> name() {
        return text("name");
    }

    /** The e-mail address ({@code email}), when the token carries it; not proof that it was verified. */
    public Optional<String> email() {
        return text("email");
    }

    private Optional<String> text(String claim) {
        return claims.get(claim) instanceof String value && !value.isBlank() ? Optional.of(value) : Optional.empty();
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> claims) {
        Objects.requireNonNull(claims, "claims");
        Map<String, Object> present = new java.util.LinkedHashMap<>();
        claims.forEach((claim, value) -> {
            if (claim != null && value != null) {
                present.put(claim, value);
            }
        });
        return Map.copyOf(present);
    }

    /** True when every one of {@code required} was granted. */
    public boolean hasAllScopes(Collection<String> required) {
        return scopes.containsAll(required);
    }

    /** True when {@code anyOf} is empty or the caller has at least one of those roles. */
    public boolean hasAnyRole(Collection<String> anyOf) {
        if (anyOf.isEmpty()) {
            return true;
        }
        for (String role : anyOf) {
            if (roles.contains(role)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        // Claims can hold personal data; keep logs to the identifiers.
        return "AuthInfo[subject=" + subject + ", clientId=" + clientId.orElse("-") + ", issuer=" + issuer
                + ", scopes=" + scopes + ", roles=" + roles + ", expiresAt=" + expiresAt + "]";
    }
}
