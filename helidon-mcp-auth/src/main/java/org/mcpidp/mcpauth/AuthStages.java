package org.mcpidp.mcpauth;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mcpidp.verifier.AuthInfo;
import org.mcpidp.verifier.TokenVerifier;
import org.mcpidp.verifier.TrustedIssuer;

/**
 * What one {@link BearerAuthFeature} is made of, assembled from its validated builder: the stages in front of MCP,
 * each with its own configuration, all answering through one error writer, plus the metadata and session registry.
 *
 * @param scopesSupported the scopes named in metadata and challenges: as configured, or every tool's
 * @param sessions        the sessions bound to principals
 * @param metadata        the protected resource metadata
 * @param routing         the routing feature installed on each socket
 */
record AuthStages(Set<String> scopesSupported, SessionRegistry sessions, ProtectedResourceMetadata metadata,
                  BearerAuthRoutingFeature routing) {

    static AuthStages of(AuthSettings builder, TokenVerifier verifier, ToolRegistration registration,
                         BrowserAccess browserAccess) {
        SdkEngine engine = builder.engine().orElse(null);
        Requirements requirements = engine != null ? engine.requirements()
                : Requirements.toolsOnly(registration.requirements());
        Set<String> scopes = new LinkedHashSet<>(builder.scopesSupported());
        if (scopes.isEmpty()) {
            requirements.tools().values().forEach(requirement -> scopes.addAll(requirement.scopes()));
            requirements.prompts().values().forEach(requirement -> scopes.addAll(requirement.scopes()));
        }
        // a refresh token is the client's business with its authorization server, never this resource's to
        // advertise (MCP 2026-07-28: servers SHOULD NOT list offline_access)
        scopes.remove("offline_access");
        Set<String> scopesSupported = Collections.unmodifiableSet(scopes);
        ScopeNames scopeNames = new ScopeNames(builder.scopePrefix());
        List<String> requestable = scopeNames.requestable(scopesSupported);
        ProtectedResourceMetadata metadata = new ProtectedResourceMetadata(builder.resource(), builder.mcpPath(),
                authorizationServers(builder, verifier), new LinkedHashSet<>(requestable), builder.resourceName(),
                builder.resourceDocumentation());
        ExtensionSessions extension = registration.extension() == null ? null
                : ExtensionSessions.of(registration.extension());
        AccessListener listener = builder.accessListener();
        java.util.function.Consumer<String> closeInEngine = extension != null ? extension::remove
                : engine != null && engine.legacy().isPresent() ? engine.legacy().get()::close : sessionId -> { };
        SessionRegistry sessions = new SessionRegistry(builder.sessionLimits(), closeInEngine, builder.sessionClock(),
                (sessionId, principal, why, by) -> listener.decided(sessionEnd(sessionId, principal, why, by)));
        AuthInfo anonymousCaller = new AuthInfo("anonymous", Optional.empty(), "urn:mcpidp:auth-disabled",
                Set.of(builder.resource().toString()), scopesSupported, Set.of(), Instant.MAX, Map.of());

        GuardedPaths paths = new GuardedPaths(builder.mcpPath());
        Answers answers = new Answers(builder.accessListener());
        String metadataUrl = metadata.metadataUrl();
        BearerAuthentication authentication = new BearerAuthentication(new BearerAuthentication.Config(
                verifier, metadataUrl, scopeNames, requestable));
        JsonRpcGate gate = new JsonRpcGate(new JsonRpcGate.Config(builder.maxBodySize(), requirements,
                registration.capabilities(), scopeNames, metadataUrl, builder.nanoTime()), builder.accessListener());
        RequestIds requestIds = new RequestIds(builder.acceptRequestId());
        SessionGuard sessionGuard = new SessionGuard(sessions, stateless(builder));
        // The MCP extension routes itself: the stages run as a filter in front of it. The SDK engine is hosted by the
        // kit: the stages run in its endpoint, which then hands the engine what they read.
        Optional<BearerAuthFilter> filter = engine != null ? Optional.empty()
                : Optional.of(new BearerAuthFilter(new BearerAuthFilter.Config(paths, builder.enabled(),
                        anonymousCaller, requestIds), authentication, sessionGuard, gate, answers));
        Optional<SdkEndpoint> endpoint = engine == null ? Optional.empty()
                : Optional.of(new SdkEndpoint(new SdkEndpoint.Config(builder.mcpPath(), builder.enabled(),
                        anonymousCaller, requestIds, builder.maxListensPerPrincipal()), engine, authentication,
                        sessionGuard, gate, answers));
        BearerAuthRoutingFeature routing = new BearerAuthRoutingFeature(new OriginGuard(paths, browserAccess, answers, requestIds),
                new CorsPolicy(paths, browserAccess), filter, endpoint.map(service -> new BearerAuthRoutingFeature
                        .Mounted(builder.mcpPath(), service)), metadata, sessions, engine);
        return new AuthStages(scopesSupported, sessions, metadata, routing);
    }

    /**
     * The RFC 9728 {@code authorization_servers}: as configured, else every trusted issuer as a client can name it
     * (a multi-tenant Entra template stands for one issuer per allowed tenant). A literal {@code {tenantid}} URL is
     * no authorization server a client could use: refused, asking for {@code mcp.authorization-servers}.
     */
    static List<String> authorizationServers(AuthSettings builder, TokenVerifier verifier) {
        List<String> servers = new ArrayList<>(builder.authorizationServers());
        if (servers.isEmpty() && verifier != null) {
            verifier.issuers().stream().map(TrustedIssuer::concreteIssuers).forEach(servers::addAll);
        }
        for (String server : servers) {
            if (server.contains(TrustedIssuer.TENANT_PLACEHOLDER)) {
                throw new IllegalStateException(templateProblem(server));
            }
        }
        return List.copyOf(new LinkedHashSet<>(servers));
    }

    /** Why a {@code {tenantid}} issuer cannot be published as it is, and what to configure instead. */
    static String templateProblem(String template) {
        return "the protected resource metadata cannot name " + template + " as an authorization server: "
                + TrustedIssuer.TENANT_PLACEHOLDER + " is a template, not a URL a client can use. List the issuer's "
                + "tenants (mcp.auth.issuers.<n>.tenants: one authorization server per tenant is published) or set "
                + "mcp.authorization-servers (MCP_AUTHORIZATION_SERVERS) to the authorization server URL(s) clients "
                + "should use";
    }

    /**
     * A session's end as a decision: a DELETE's carries that request's id and caller (the registry closes it on the
     * request's thread); an expiry or eviction carries the principal that opened the session.
     */
    private static AccessDecision sessionEnd(String sessionId, SessionRegistry.Principal principal, String why,
                                             Optional<Exchange> by) {
        return new AccessDecision(AccessDecision.Kind.SESSION_END, by.map(request -> request.requestId),
                AuthOutcome.AUTHENTICATED, why, 0, by.map(request -> request.httpMethod),
                Optional.of(by.flatMap(Exchange::caller).map(AccessDecision.Caller::of)
                        .orElse(new AccessDecision.Caller(principal.issuer(), principal.subject(), Optional.empty(),
                                Optional.empty()))),
                Optional.of(sessionId), Optional.empty(), Optional.empty(), java.time.Duration.ZERO, Map.of());
    }

    /** The extension's own stateless switch ({@code McpServerConfig.stateless}): the session guard follows it. */
    private static boolean stateless(AuthSettings builder) {
        return builder.stateless();
    }
}
