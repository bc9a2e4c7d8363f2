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
 * @param token     the verified token itself, for a token exchange (empty when built by hand or for an anonymous
 *                  caller); redacted in {@link CallerToken#toString()} and left out of {@link #toString()}
 */
public record AuthInfo(String subject,
                       Optional<String> clientId,
                       String issuer,
                       Set<String> audiences,
                       Set<String> scopes,
                       Set<String> roles,
                       Instant expiresAt,
                       Map<String, Object> claims,
                       Optional<CallerToken> token) {

    public AuthInfo {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(expiresAt, "expiresAt");
        audiences = Set.copyOf(audiences);
        scopes = Set.copyOf(scopes);
        roles = Set.copyOf(roles);
        claims = withoutNulls(claims);
        Objects.requireNonNull(token, "token");
    }

    /** Without the token: what token sources, custom verifications and tests build. */
    public AuthInfo(String subject, Optional<String> clientId, String issuer, Set<String> audiences, Set<String> scopes,
                    Set<String> roles, Instant expiresAt, Map<String, Object> claims) {
        this(subject, clientId, issuer, audiences, scopes, roles, expiresAt, claims, Optional.empty());
    }

    /** This caller carrying {@code verified}, the token it was established from (the verifier attaches it). */
    public AuthInfo withToken(CallerToken verified) {
        return new AuthInfo(subject, clientId, issuer, audiences, scopes, roles, expiresAt, claims,
                Optional.of(verified));
    }

    /** This caller with {@code effective} as its scopes (the granted ones and those they imply). */
    public AuthInfo withScopes(Set<String> effective) {
        return new AuthInfo(subject, clientId, issuer, audiences, effective, roles, expiresAt, claims, token);
    }

    /** This caller without its token (what a cache may keep). */
    public AuthInfo withoutToken() {
        return token.isEmpty() ? this : new AuthInfo(subject, clientId, issuer, audiences, scopes, roles, expiresAt,
                claims, Optional.empty());
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
        if (claims.getClass() == IMMUTABLE_MAP_N || claims.getClass() == IMMUTABLE_MAP_1) {
            // Already unmodifiable and null-free (Map.copyOf refuses nulls): withToken copies stay allocation-light.
            return claims;
        }
        boolean nullFree = true;
        for (Map.Entry<String, Object> claim : claims.entrySet()) {
            nullFree &= claim.getKey() != null && claim.getValue() != null;
        }
        if (nullFree) {
            return Map.copyOf(claims); // the usual case: one copy, not two (containsValue(null) may throw)
        }
        Map<String, Object> present = new java.util.LinkedHashMap<>();
        claims.forEach((claim, value) -> {
            if (claim != null && value != null) {
                present.put(claim, value);
            }
        });
        return Map.copyOf(present);
    }

    private static final Class<?> IMMUTABLE_MAP_N = Map.of("a", 1, "b", 2).getClass();
    private static final Class<?> IMMUTABLE_MAP_1 = Map.of("a", 1).getClass();

    /**
     * Whom the token acts for: a person who delegated to a client (authorization code, a user subject), or the client
     * application on its own (client credentials). Authorization uses it to keep roles from widening what a person
     * consented to: for a person's token the granted scopes bound what it may do. Decided from the claims alone, and
     * {@link Actor#PERSON} unless they show an app-only token (see {@link Actor#of}).
     */
    public Actor actor() {
        return Actor.of(this);
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
