package org.mcpidp.verifier;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one set of rules every token must pass, whichever path verified it (JWT, introspection, custom): exact issuer,
 * audience, expiry, not-before/issued-at with a leeway, required scopes, and optionally the JWT {@code typ}.
 *
 * <p>Strict by default: an audience is required (building without one fails), {@code exp} is required, and a
 * token whose {@code aud} matches none of {@link #audiences()} is rejected even when the IdP says it is active.
 */
public final class AccessPolicy {

    /** Like MCP Auth's {@code leeway}: clock skew tolerated on {@code exp}, {@code nbf} and {@code iat}. */
    public static final Duration DEFAULT_LEEWAY = Duration.ofSeconds(60);

    /** NumericDates beyond 9999-12-31 are not dates a real IdP issues; refuse them instead of overflowing. */
    private static final long MAX_NUMERIC_DATE = 253_402_300_799L;

    /** Microsoft Graph's application id: a token for it must never be accepted by another API. */
    static final String MICROSOFT_GRAPH = "00000003-0000-0000-c000-000000000000";

    private final Set<String> audiences;
    private final Set<String> requiredScopes;
    private final Duration leeway;
    private final Optional<String> requiredType;
    private final Set<String> roleClients;
    private final ImpliedScopes impliedScopes;

    private AccessPolicy(Builder builder) {
        this.audiences = Set.copyOf(builder.audiences);
        this.requiredScopes = Set.copyOf(builder.requiredScopes);
        this.impliedScopes = ImpliedScopes.of(builder.implies);
        this.leeway = builder.leeway;
        this.requiredType = builder.requiredType;
        this.roleClients = Set.copyOf(builder.roleClients);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Accepted audiences: a token's {@code aud} must contain at least one (e.g. the MCP resource URL, the server's client id). */
    public Set<String> audiences() {
        return audiences;
    }

    /** Scopes every token must carry, all of them (per-tool requirements come on top). */
    public Set<String> requiredScopes() {
        return requiredScopes;
    }

    public Duration leeway() {
        return leeway;
    }

    /** When present, a JWT's header {@code typ} must equal it (e.g. {@code at+jwt}, RFC 9068). */
    public Optional<String> requiredType() {
        return requiredType;
    }

    /** Clients whose {@code resource_access.<client>.roles} count as roles (Keycloak client roles). */
    public Set<String> roleClients() {
        return roleClients;
    }

    /**
     * The whole policy, in one place and one order: issuer (for an Entra template, the token's tenant must be
     * allowed: {@code expectedIssuer} is empty when it is not), audience, token kind, then the time rules and the
     * required scopes. Runs on every verification, cache hits included, so nothing cached outlives its token.
     */
    Outcome check(AuthInfo info, Optional<String> expectedIssuer, Instant now) {
        String problem = expectedIssuer.isEmpty() ? "token tenant (tid) is not allowed" : identityProblem(info, expectedIssuer.get());
        if (problem == null) {
            problem = timeProblem(info, now);
        }
        if (problem != null) {
            return Outcome.invalid(problem);
        }
        if (!info.hasAllScopes(requiredScopes)) {
            return new Outcome.Failed(insufficient(info, requiredScopes));
        }
        return new Outcome.Accepted(info);
    }

    /** Issuer, audience and token kind: facts about the token that do not change with time; null when all hold. */
    private String identityProblem(AuthInfo info, String expectedIssuer) {
        if (!info.issuer().equals(expectedIssuer)) {
            return "token issuer is not trusted";
        }
        for (String audience : info.audiences()) {
            if (audiences.contains(audience)) {
                return TokenKind.problem(info.claims());
            }
        }
        if (info.audiences().contains(MICROSOFT_GRAPH) || info.audiences().contains("https://graph.microsoft.com")) {
            return "token is for Microsoft Graph, not for this resource";
        }
        return "token audience does not include this resource";
    }

    /** {@code exp} (required), {@code nbf} and {@code iat} (when present), each with the leeway; null when all hold. */
    private String timeProblem(AuthInfo info, Instant now) {
        if (!info.expiresAt().plus(leeway).isAfter(now)) {
            return "token has expired";
        }
        Instant latestAcceptable = now.plus(leeway);
        try {
            Optional<Instant> notBefore = numericDate(info, "nbf");
            if (notBefore.isPresent() && notBefore.get().isAfter(latestAcceptable)) {
                return "token is not valid yet (nbf)";
            }
            Optional<Instant> issuedAt = numericDate(info, "iat");
            if (issuedAt.isPresent() && issuedAt.get().isAfter(latestAcceptable)) {
                return "token was issued in the future (iat)";
            }
        } catch (TokenVerificationException malformedDate) {
            return malformedDate.failure().description();
        }
        return null;
    }

    /**
     * Fails with {@link VerificationFailure.InsufficientScope} unless {@code info} has every scope in {@code required}.
     * The failure's {@code required} set is what a client should ask for.
     */
    public static void checkScopes(AuthInfo info, Collection<String> required) throws TokenVerificationException {
        if (!info.hasAllScopes(required)) {
            throw new TokenVerificationException(insufficient(info, required));
        }
    }

    private static VerificationFailure.InsufficientScope insufficient(AuthInfo info, Collection<String> required) {
        Set<String> missing = new TreeSet<>(required);
        missing.removeAll(info.scopes());
        return new VerificationFailure.InsufficientScope(
                Set.copyOf(required), "token lacks required scope(s): " + String.join(" ", missing));
    }

    private static Optional<Instant> numericDate(AuthInfo info, String claim) throws TokenVerificationException {
        Object value = info.claims().get(claim);
        if (value == null) {
            return Optional.empty();
        }
        return Optional.of(ClaimsReader.numericDate(value, claim));
    }

    static long maxNumericDate() {
        return MAX_NUMERIC_DATE;
    }

    @Override
    public String toString() {
        return "AccessPolicy[audiences=" + audiences + ", requiredScopes=" + requiredScopes + ", leeway=" + leeway
                + ", requiredType=" + requiredType.orElse("-") + "]";
    }

    /**
     * The scope hierarchy: each scope mapped to every narrower scope it implies (transitively). A caller granted
     * {@code mcp:admin} where {@code mcp:admin} implies {@code mcp:write} and {@code mcp:write} implies
     * {@code mcp:read} holds all three ({@link AuthInfo#scopes()} lists them): MCP authorization requires servers to
     * account for scope hierarchies when deciding whether a token is sufficient.
     */
    public Map<String, Set<String>> impliedScopes() {
        return impliedScopes.implied();
    }

    /** {@code granted} and every scope it implies. */
    public Set<String> effectiveScopes(Set<String> granted) {
        return impliedScopes.effective(granted);
    }

    /** Builds an {@link AccessPolicy}; {@link #build()} fails when no audience was given. */
    public static final class Builder {
        private final Map<String, Set<String>> implies = new LinkedHashMap<>();
        private final Set<String> audiences = new LinkedHashSet<>();
        private final Set<String> requiredScopes = new LinkedHashSet<>();
        private final Set<String> roleClients = new LinkedHashSet<>();
        private Duration leeway = DEFAULT_LEEWAY;
        private Optional<String> requiredType = Optional.empty();

        private Builder() {
        }

        public Builder audiences(String... values) {
            return audiences(List.of(values));
        }

        public Builder audiences(Collection<String> values) {
            values.forEach(value -> audiences.add(nonBlank(value, "audience")));
            return this;
        }

        public Builder requiredScopes(String... values) {
            return requiredScopes(List.of(values));
        }

        public Builder requiredScopes(Collection<String> values) {
            values.forEach(value -> requiredScopes.add(nonBlank(value, "required scope")));
            return this;
        }

        /**
         * {@code broader} implies each of {@code narrower}: a token granted {@code broader} is sufficient wherever
         * one of them is required. Implications chain; a cycle is refused by {@link #build()}.
         */
        public Builder impliedScopes(String broader, Collection<String> narrower) {
            Set<String> implied = implies.computeIfAbsent(nonBlank(broader, "scope"), key -> new LinkedHashSet<>());
            narrower.forEach(scope -> implied.add(nonBlank(scope, "implied scope")));
            return this;
        }

        public Builder roleClients(String... clientIds) {
            for (String clientId : clientIds) {
                roleClients.add(nonBlank(clientId, "role client"));
            }
            return this;
        }

        public Builder leeway(Duration value) {
            Objects.requireNonNull(value, "leeway");
            if (value.isNegative() || value.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("leeway must be between 0 and 5 minutes, was " + value);
            }
            this.leeway = value;
            return this;
        }

        public Builder requiredType(String typ) {
            this.requiredType = Optional.of(nonBlank(typ, "required typ"));
            return this;
        }

        public AccessPolicy build() {
            if (audiences.isEmpty()) {
                throw new IllegalStateException("an access policy needs at least one audience "
                        + "(the MCP resource URL and/or the resource server's client id)");
            }
            return new AccessPolicy(this);
        }

        private static String nonBlank(String value, String what) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(what + " must not be blank");
            }
            return value;
        }
    }
}
