package org.mcpidp.verifier;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Reads an issuer's metadata: OIDC discovery ({@code <issuer>/.well-known/openid-configuration}), else RFC 8414
 * ({@code /.well-known/oauth-authorization-server<issuer path>}). The document's {@code issuer} must equal the
 * configured issuer exactly (RFC 8414 section 3.3), or nothing from it is used.
 */
final class MetadataDiscovery {

    private static final System.Logger LOG = System.getLogger(MetadataDiscovery.class.getName());

    private final OkHttpClient http;

    MetadataDiscovery(OkHttpClient http) {
        this.http = http;
    }

    IssuerMetadata discover(TrustedIssuer trusted) throws TokenVerificationException {
        List<URI> candidates = candidates(trusted);
        String lastProblem = "no metadata URL";
        for (URI candidate : candidates) {
            Request request = new Request.Builder().url(candidate.toString()).header("Accept", "application/json").get().build();
            try (Response response = http.newCall(request).execute()) {
                if (response.code() == 404 && candidates.size() > 1) {
                    lastProblem = candidate + " -> 404";
                    continue;
                }
                if (response.code() != 200 || !Json.isJson(response.body())) {
                    lastProblem = candidate + " -> HTTP " + response.code();
                    break;
                }
                Map<String, Object> document = Json.readObject(response.body());
                Object issuer = document.get("issuer");
                if (!trusted.issuer().equals(issuer)) {
                    LOG.log(System.Logger.Level.ERROR, "Metadata at {0} names issuer {1}, configured is {2}: refusing it",
                            candidate, issuer, trusted.issuer());
                    lastProblem = "metadata issuer mismatch at " + candidate;
                    break;
                }
                return new IssuerMetadata(trusted.issuer(),
                        trusted.jwksUri().or(() -> uri(document, "jwks_uri")),
                        trusted.introspectionEndpoint().or(() -> uri(document, "introspection_endpoint")));
            } catch (IOException e) {
                lastProblem = candidate + ": " + e.getMessage();
                break;
            }
        }
        LOG.log(System.Logger.Level.WARNING, "Metadata of issuer {0} not loaded: {1}", trusted.issuer(), lastProblem);
        throw new TokenVerificationException(new VerificationFailure.Unavailable(
                "the identity provider's metadata could not be loaded", Duration.ofSeconds(5)));
    }

    static List<URI> candidates(TrustedIssuer trusted) {
        if (trusted.metadataUrl().isPresent()) {
            return List.of(trusted.metadataUrl().get());
        }
        String issuer = trusted.issuer();
        String trimmed = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        URI issuerUri = URI.create(trimmed);
        List<URI> candidates = new ArrayList<>();
        candidates.add(URI.create(trimmed + "/.well-known/openid-configuration"));
        String path = issuerUri.getRawPath() == null ? "" : issuerUri.getRawPath();
        candidates.add(issuerUri.resolve("/.well-known/oauth-authorization-server" + path));
        return candidates;
    }

    private static Optional<URI> uri(Map<String, Object> document, String field) {
        Object value = document.get(field);
        if (value instanceof String text && (text.startsWith("https://") || text.startsWith("http://"))) {
            return Optional.of(URI.create(text));
        }
        return Optional.empty();
    }
}
