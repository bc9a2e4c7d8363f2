package org.mcpidp.verifier;

import static org.mcpidp.verifier.TrustedIssuer.DEFAULT_JWKS_MIN_REFRESH;
import static org.mcpidp.verifier.TrustedIssuer.TENANT_PLACEHOLDER;

import java.util.Set;
import org.mcpidp.verifier.TrustedIssuer.ClientAuthentication;
import org.mcpidp.verifier.TrustedIssuer.TokenMode;

/**
 * The rules a {@link TrustedIssuer.Builder} is checked against when it builds: what a multi-tenant template needs,
 * and which settings belong to which mode. Kept apart from the builder, whose setters validate single values, so the
 * combinations are read in one place; the result is the mode's own {@link IssuerChecks}.
 */
final class IssuerRules {

    private IssuerRules() {
    }

    /** The mode's settings; a setting of another mode is a configuration mistake, refused by name. */
    static IssuerChecks checks(TrustedIssuer.Builder b) {
        template(b);
        return switch (b.mode) {
            case JWT -> {
                onlyFor(b, "introspectionEndpoint", b.introspectionEndpoint.isPresent(), "introspection");
                onlyFor(b, "clientAuthentication", b.clientAuthentication.isPresent(), "introspection");
                if (b.algorithms.isEmpty()) {
                    throw new IllegalStateException("issuer " + b.issuer + ": at least one JWS algorithm is needed");
                }
                yield new IssuerChecks.Jwt(b.jwksUri, Set.copyOf(b.algorithms),
                        b.jwksMinRefreshInterval.orElse(DEFAULT_JWKS_MIN_REFRESH));
            }
            case INTROSPECTION -> {
                jwtOnly(b);
                yield new IssuerChecks.Introspection(b.introspectionEndpoint, b.clientId, b.clientSecret,
                        b.clientAuthentication.orElse(ClientAuthentication.CLIENT_SECRET_BASIC));
            }
            case CUSTOM -> {
                jwtOnly(b);
                onlyFor(b, "introspectionEndpoint", b.introspectionEndpoint.isPresent(), "introspection");
                onlyFor(b, "clientAuthentication", b.clientAuthentication.isPresent(), "introspection");
                yield new IssuerChecks.Custom(b.customVerification);
            }
        };
    }

    /** A template ({@value TrustedIssuer#TENANT_PLACEHOLDER}) is JWT-only, needs key material and a tenant allow-list. */
    private static void template(TrustedIssuer.Builder b) {
        if (b.issuer.contains(TENANT_PLACEHOLDER)) {
            if (b.mode != TokenMode.JWT) {
                throw new IllegalStateException("issuer templates (" + TENANT_PLACEHOLDER + ") are for JWT issuers only");
            }
            if (b.metadataUrl.isEmpty() && b.jwksUri.isEmpty()) {
                throw new IllegalStateException("multi-tenant issuer " + b.issuer + " needs metadataUrl(...) (e.g. "
                        + "https://login.microsoftonline.com/organizations/v2.0/.well-known/openid-configuration) or jwksUri(...)");
            }
            if (b.tenants.isEmpty()) {
                throw new IllegalStateException("multi-tenant issuer " + b.issuer
                        + " needs an allow-list of tenant ids (tenants(...)); accepting every tenant is never safe");
            }
        } else if (!b.tenants.isEmpty()) {
            throw new IllegalStateException("tenants(...) applies only to an issuer template with " + TENANT_PLACEHOLDER);
        }
    }

    private static void jwtOnly(TrustedIssuer.Builder b) {
        onlyFor(b, "jwksUri", b.jwksUri.isPresent(), "JWT");
        onlyFor(b, "algorithms", b.algorithmsChosen, "JWT");
        onlyFor(b, "jwksMinRefreshInterval", b.jwksMinRefreshInterval.isPresent(), "JWT");
    }

    private static void onlyFor(TrustedIssuer.Builder b, String setting, boolean set, String mode) {
        if (set) {
            throw new IllegalStateException("issuer " + b.issuer + ": " + setting + " applies to " + mode
                    + " issuers only, this one is " + b.mode);
        }
    }
}
