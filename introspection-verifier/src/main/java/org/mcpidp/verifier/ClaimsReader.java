package org.mcpidp.verifier;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns claims (from a verified JWT or an introspection answer) into an {@link AuthInfo}, refusing claims of the
 * wrong type instead of guessing: {@code exp} must be an integer NumericDate, {@code scope} a string, {@code aud} a
 * string or an array of strings. A token that is not exactly well-formed is invalid.
 */
final class ClaimsReader {

    private ClaimsReader() {
    }

    private static final System.Logger LOG = System.getLogger(ClaimsReader.class.getName());

    /**
     * The claims as an accepted caller, or why not. Claims of a shape no rule foresaw mean the IdP's answer is bad,
     * so is the token: invalid (401), never a 500.
     */
    static Outcome accept(Map<String, Object> claims, AccessPolicy policy, TrustedIssuer trusted) {
        try {
            AuthInfo read = read(claims, policy.roleClients(), trusted.appRolesAsScopes());
            // what the granted scopes imply is decided once, here, before the result is cached
            return new Outcome.Accepted(policy.impliedScopes().isEmpty() ? read
                    : read.withScopes(policy.effectiveScopes(read.scopes())));
        } catch (TokenVerificationException e) {
            return Outcome.of(e);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Claims from {0} could not be read ({1}); token refused",
                    trusted.issuer(), e.getClass().getName());
            return Outcome.invalid("the identity provider's answer for this token is malformed");
        }
    }

    static AuthInfo read(Map<String, Object> claims, Set<String> roleClients, boolean appRolesAsScopes)
            throws TokenVerificationException {
        String issuer = requiredString(claims, "iss");
        String subject = requiredString(claims, "sub");
        Object exp = claims.get("exp");
        if (exp == null) {
            throw TokenVerificationException.invalid("token has no expiry (exp)");
        }
        Instant expiresAt = numericDate(exp, "exp");

        Set<String> scopes = new LinkedHashSet<>();
        spaceSeparated(claims, "scope", scopes);
        spaceSeparated(claims, "scp", scopes);

        Set<String> roles = new LinkedHashSet<>();
        if (claims.get("realm_access") instanceof Map<?, ?> realmAccess) {
            strings(realmAccess.get("roles"), "realm_access.roles", roles);
        }
        if (!roleClients.isEmpty() && claims.get("resource_access") instanceof Map<?, ?> resourceAccess) {
            for (String client : roleClients) {
                if (resourceAccess.get(client) instanceof Map<?, ?> access) {
                    strings(access.get("roles"), "resource_access." + client + ".roles", roles);
                }
            }
        }
        Set<String> appRoles = new LinkedHashSet<>();
        strings(claims.get("roles"), "roles", appRoles);
        roles.addAll(appRoles);
        if (appRolesAsScopes) {
            scopes.addAll(appRoles);
        }

        return new AuthInfo(subject, clientId(claims), issuer, audiences(claims.get("aud")), scopes, roles,
                expiresAt, claims);
    }

    /** An integer number of seconds since the epoch, within year 9999. Strings, floats and huge values are refused. */
    static Instant numericDate(Object value, String claim) throws TokenVerificationException {
        long seconds;
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            seconds = ((Number) value).longValue();
        } else if (value instanceof BigInteger) {
            throw TokenVerificationException.invalid("token claim " + claim + " is out of range");
        } else {
            throw TokenVerificationException.invalid("token claim " + claim + " is not an integer NumericDate");
        }
        if (seconds < 0 || seconds > AccessPolicy.maxNumericDate()) {
            throw TokenVerificationException.invalid("token claim " + claim + " is out of range");
        }
        return Instant.ofEpochSecond(seconds);
    }

    private static Optional<String> clientId(Map<String, Object> claims) throws TokenVerificationException {
        for (String claim : List.of("azp", "client_id", "appid")) {
            Object value = claims.get(claim);
            if (value != null) {
                if (!(value instanceof String text) || text.isEmpty()) {
                    throw TokenVerificationException.invalid("token claim " + claim + " is not a string");
                }
                return Optional.of(text);
            }
        }
        return Optional.empty();
    }

    private static Set<String> audiences(Object aud) throws TokenVerificationException {
        if (aud instanceof String single && !single.isEmpty()) {
            return Set.of(single);
        }
        if (aud instanceof Collection<?> many && !many.isEmpty()) {
            Set<String> audiences = new LinkedHashSet<>();
            strings(many, "aud", audiences);
            return audiences;
        }
        throw TokenVerificationException.invalid(aud == null ? "token has no audience (aud)" : "token audience (aud) is malformed");
    }

    private static String requiredString(Map<String, Object> claims, String claim) throws TokenVerificationException {
        Object value = claims.get(claim);
        if (value instanceof String text && !text.isEmpty()) {
            return text;
        }
        throw TokenVerificationException.invalid(value == null
                ? "token has no " + claim + " claim"
                : "token claim " + claim + " is not a string");
    }

    private static void spaceSeparated(Map<String, Object> claims, String claim, Set<String> into)
            throws TokenVerificationException {
        Object value = claims.get(claim);
        if (value == null) {
            return;
        }
        if (!(value instanceof String text)) {
            throw TokenVerificationException.invalid("token claim " + claim + " must be a space-separated string");
        }
        for (String scope : text.split(" ")) {
            if (!scope.isEmpty()) {
                into.add(scope);
            }
        }
    }

    private static void strings(Object value, String claim, Set<String> into) throws TokenVerificationException {
        if (value == null) {
            return;
        }
        if (!(value instanceof Collection<?> values)) {
            throw TokenVerificationException.invalid("token claim " + claim + " must be an array of strings");
        }
        for (Object element : values) {
            if (!(element instanceof String text)) {
                throw TokenVerificationException.invalid("token claim " + claim + " must be an array of strings");
            }
            into.add(text);
        }
    }
}
