/**
 * Verifies bearer tokens (RFC 7662 introspection or JWT) against one policy: {@link org.mcpidp.verifier.TokenVerifier}
 * with {@link org.mcpidp.verifier.TrustedIssuer}s and an {@link org.mcpidp.verifier.AccessPolicy}, answering an
 * {@link org.mcpidp.verifier.AuthInfo}.
 */
module org.mcpidp.verifier {
    requires transitive okhttp3; // TokenVerifier.Builder#httpClient
    requires org.mcpidp.http;
    requires com.fasterxml.jackson.databind;
    requires com.github.benmanes.caffeine;
    requires com.nimbusds.jose.jwt;

    exports org.mcpidp.verifier;
}
