package org.mcpidp.mcpserver;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.mcpidp.mcpauth.BearerAuthFeature;
import org.mcpidp.mcpauth.SessionStats;
import org.mcpidp.testkit.FreePort;
import org.mcpidp.testkit.LocalIssuer;
import org.mcpidp.verifier.TokenVerifier;

/**
 * The real server ({@link Main#parts}, the real application.yaml) trusting a {@link LocalIssuer} (JWT mode, or
 * introspection), so that load and session tests are not bound by Keycloak. Exposes what the session tests observe:
 * our registry's counts and the MCP SDK engine's own legacy sessions.
 */
public final class LocalIdpServer implements AutoCloseable {

    public final LocalIssuer idp;
    public final int port;
    public final String mcpUrl;
    public final TokenVerifier verifier;
    final BearerAuthFeature auth;
    private final ServerUnderTest server;

    private LocalIdpServer(LocalIssuer idp, ServerUnderTest server) {
        this.idp = idp;
        this.port = server.port;
        this.mcpUrl = server.mcpUrl;
        this.verifier = server.verifier;
        this.auth = server.parts.auth();
        this.server = server;
    }

    /** JWT mode, tokens signed by the local issuer; {@code overrides} on top of application.yaml. */
    public static LocalIdpServer start(Map<String, String> overrides) {
        return start(overrides, UnaryOperator.identity());
    }

    /** As above, with {@code tuning} on the auth feature's builder (e.g. {@code BuilderHooks.sessionClock}). */
    public static LocalIdpServer start(Map<String, String> overrides, UnaryOperator<BearerAuthFeature.Builder> tuning) {
        LocalIssuer idp = LocalIssuer.start();
        try {
            Map<String, String> values = new HashMap<>();
            values.put("mcp.auth.issuers.0.url", idp.issuer());
            values.put("mcp.auth.issuers.0.mode", "jwt");
            values.putAll(overrides);
            return new LocalIdpServer(idp, ServerUnderTest.start(FreePort.find(), values, tuning));
        } catch (RuntimeException e) {
            idp.close();
            throw e;
        }
    }

    /** A JWT of {@code subject} with every demo scope, valid for {@code lifetime}. */
    public String token(String subject, Duration lifetime) {
        Map<String, Object> claims = idp.claims(mcpUrl, "mcp:read mcp:write mcp:admin");
        claims.put("sub", subject);
        claims.put("exp", Instant.now().plus(lifetime).getEpochSecond());
        return idp.sign(claims);
    }

    public String token(String subject) {
        return token(subject, Duration.ofMinutes(10));
    }

    public SessionStats sessions() {
        return auth.sessionStats();
    }

    /** Legacy sessions the MCP SDK engine holds: the registry's count when none leaked. */
    public int engineSessions() {
        return server.parts.engine().legacySessionCount();
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            idp.close();
        }
    }
}
