package org.mcpidp.verifier;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One RFC 6750 {@code WWW-Authenticate: Bearer ...} challenge. Like Spring Security's {@code BearerTokenError}, every
 * value validates itself: a character RFC 6750 section 3 does not allow inside a quoted value (a quote, a backslash, a
 * control character, anything outside printable ASCII) makes the builder throw, so nothing a caller sends can end a
 * quoted string or start a new header line. Parameters are written in a fixed order: realm, error,
 * error_description, scope, claims, resource_metadata.
 *
 * <p>What a resource server answers a token the verifier did not accept is decided once, here: {@link #status} and
 * {@link #forFailure} (the MCP gate and a plain API such as the demo's orders API both use them).
 */
public final class BearerChallenge {

    /** RFC 6750 error codes. */
    public enum Error {
        INVALID_REQUEST("invalid_request"),
        INVALID_TOKEN("invalid_token"),
        INSUFFICIENT_SCOPE("insufficient_scope"),
        /** Not RFC 6750's: Microsoft's answer of a middle tier whose downstream API demands more claims. */
        INSUFFICIENT_CLAIMS("insufficient_claims");

        private final String code;

        Error(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final Map<String, String> parameters;

    private BearerChallenge(Map<String, String> parameters) {
        this.parameters = parameters;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The {@code error} code, when the challenge has one (a request without a token gets none). */
    public Optional<String> error() {
        return Optional.ofNullable(parameters.get("error"));
    }

    /** The {@code error_description}, when there is one. */
    public Optional<String> description() {
        return Optional.ofNullable(parameters.get("error_description"));
    }

    /** The header value, e.g. {@code Bearer error="invalid_token", resource_metadata="https://..."}. */
    public String headerValue() {
        if (parameters.isEmpty()) {
            return "Bearer";
        }
        List<String> parts = new ArrayList<>(parameters.size());
        parameters.forEach((name, value) -> parts.add(name + "=\"" + value + "\""));
        return "Bearer " + String.join(", ", parts);
    }

    @Override
    public String toString() {
        return headerValue();
    }

    /**
     * Makes untrusted text (an IdP's or a verifier's message) usable as an {@code error_description}: every character
     * RFC 6750 does not allow becomes {@code ?}, and the text is cut to 200 characters.
     */
    public static String safeDescription(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), 200));
        for (int i = 0; i < text.length() && out.length() < 200; i++) {
            char c = text.charAt(i);
            out.append(isDescriptionChar(c) ? c : '?');
        }
        return out.toString();
    }

    // error_description: %x20-21 / %x23-5B / %x5D-7E (RFC 6750 section 3)
    private static boolean isDescriptionChar(char c) {
        return c == 0x20 || c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
    }

    /** True when {@code scope} is an RFC 6749 scope-token, i.e. it can be put into a challenge as it is. */
    public static boolean isScopeToken(String scope) {
        return !scope.isEmpty() && scope.chars().allMatch(c -> isScopeTokenChar((char) c));
    }

    // scope-token: %x21 / %x23-5B / %x5D-7E (RFC 6749 appendix A.4)
    private static boolean isScopeTokenChar(char c) {
        return c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
    }

    /**
     * The HTTP status for {@code failure}: 401 for a token that is not valid, 403 for one short of scope, 503 when the
     * authorization server could not be asked.
     */
    public static int status(VerificationFailure failure) {
        return switch (failure) {
            case VerificationFailure.InvalidToken invalid -> 401;
            case VerificationFailure.InsufficientScope insufficient -> 403;
            case VerificationFailure.Unavailable unavailable -> 503;
        };
    }

    /**
     * The challenge for {@code failure}, on top of {@code base} (realm, resource metadata): {@code invalid_token} or
     * {@code insufficient_scope} with the verifier's description made safe; which scopes a 403 names is the caller's
     * (its naming of scopes may differ), so none is added here. Empty for {@link VerificationFailure.Unavailable}:
     * a 503 carries {@code Retry-After}, not a challenge.
     */
    public static Optional<BearerChallenge> forFailure(VerificationFailure failure, Builder base) {
        return switch (failure) {
            case VerificationFailure.InvalidToken invalid -> Optional.of(base.error(Error.INVALID_TOKEN)
                    .description(safeDescription(invalid.description())).build());
            case VerificationFailure.InsufficientScope insufficient -> Optional.of(base
                    .error(Error.INSUFFICIENT_SCOPE).description(safeDescription(insufficient.description())).build());
            case VerificationFailure.Unavailable unavailable -> Optional.empty();
        };
    }

    /** Builds a {@link BearerChallenge}; each setter rejects values RFC 6750 does not allow. */
    public static final class Builder {
        private String realm;
        private Error error;
        private String description;
        private final List<String> scopes = new ArrayList<>();
        private String claims;
        private String resourceMetadata;

        private Builder() {
        }

        public Builder realm(String value) {
            this.realm = checked(value, "realm");
            return this;
        }

        public Builder error(Error value) {
            this.error = Objects.requireNonNull(value, "error");
            return this;
        }

        /** Human-readable; must already be safe (see {@link #safeDescription(String)} for untrusted text). */
        public Builder description(String value) {
            this.description = checked(value, "error_description");
            return this;
        }

        /** Scope tokens, in order; duplicates are dropped. */
        public Builder scopes(Collection<String> values) {
            for (String scope : values) {
                if (scope.isEmpty()) {
                    throw new IllegalArgumentException("a scope token must not be empty");
                }
                for (int i = 0; i < scope.length(); i++) {
                    if (!isScopeTokenChar(scope.charAt(i))) {
                        throw new IllegalArgumentException("scope token contains a character RFC 6749 forbids");
                    }
                }
                if (!scopes.contains(scope)) {
                    scopes.add(scope);
                }
            }
            return this;
        }

        /**
         * The claims a client must get a new token with (Microsoft's claims challenge), base64 as Microsoft documents
         * it; anything but base64 (standard or URL alphabet) is refused.
         */
        public Builder claims(String base64) {
            Objects.requireNonNull(base64, "claims");
            if (!base64.matches("[A-Za-z0-9+/=_-]+")) {
                throw new IllegalArgumentException("claims must be base64");
            }
            this.claims = base64;
            return this;
        }

        /** The RFC 9728 protected resource metadata URL (MCP authorization). */
        public Builder resourceMetadata(String url) {
            this.resourceMetadata = checked(url, "resource_metadata");
            return this;
        }

        public BearerChallenge build() {
            if (description != null && error == null) {
                throw new IllegalStateException("error_description without error");
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            if (realm != null) {
                parameters.put("realm", realm);
            }
            if (error != null) {
                parameters.put("error", error.code());
            }
            if (description != null) {
                parameters.put("error_description", description);
            }
            if (!scopes.isEmpty()) {
                parameters.put("scope", String.join(" ", scopes));
            }
            if (claims != null) {
                parameters.put("claims", claims);
            }
            if (resourceMetadata != null) {
                parameters.put("resource_metadata", resourceMetadata);
            }
            return new BearerChallenge(Collections.unmodifiableMap(parameters));
        }

        private static String checked(String value, String what) {
            Objects.requireNonNull(value, what);
            for (int i = 0; i < value.length(); i++) {
                if (!isDescriptionChar(value.charAt(i))) {
                    throw new IllegalArgumentException(what + " contains a character RFC 6750 forbids in a quoted value");
                }
            }
            return value;
        }
    }
}
