package org.mcpidp.mcpserver.auth;

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

    static AuthStages of(BearerAuthFeature.Builder builder, TokenVerifier verifier, ToolRegistration registration,
                         BrowserAccess browserAccess) {
        Map<String, ToolRequirement> tools = registration.requirements();
        Set<String> scopes = new LinkedHashSet<>(builder.scopesSupported);
        if (scopes.isEmpty()) {
            tools.values().forEach(requirement -> scopes.addAll(requirement.scopes()));
        }
        Set<String> scopesSupported = Collections.unmodifiableSet(scopes);
        List<String> servers = new ArrayList<>(builder.authorizationServers);
        if (servers.isEmpty() && verifier != null) {
            verifier.issuers().stream().map(TrustedIssuer::issuer).forEach(servers::add);
        }
        ScopeNames scopeNames = new ScopeNames(builder.scopePrefix);
        List<String> requestable = scopeNames.requestable(scopesSupported);
        ProtectedResourceMetadata metadata = new ProtectedResourceMetadata(builder.resource, builder.mcpPath,
                List.copyOf(servers), new LinkedHashSet<>(requestable), builder.resourceName,
                builder.resourceDocumentation);
        ExtensionSessions extension = registration.extension() == null ? null
                : ExtensionSessions.of(registration.extension());
        SessionRegistry sessions = new SessionRegistry(builder.sessionLimits,
                extension == null ? sessionId -> { } : extension::remove);
        AuthInfo anonymousCaller = new AuthInfo("anonymous", Optional.empty(), "urn:mcpidp:auth-disabled",
                Set.of(builder.resource.toString()), scopesSupported, Set.of(), Instant.MAX, Map.of());

        GuardedPaths paths = new GuardedPaths(builder.mcpPath);
        ErrorAnswers answers = new ErrorAnswers(builder.accessListener);
        String metadataUrl = metadata.metadataUrl();
        BearerAuthentication authentication = new BearerAuthentication(new BearerAuthentication.Config(
                verifier, metadataUrl, scopeNames, requestable), answers);
        JsonRpcGate gate = new JsonRpcGate(new JsonRpcGate.Config(builder.maxBodySize, tools,
                registration.capabilities(), scopeNames, metadataUrl, builder.nanoTime), answers);
        BearerAuthFilter filter = new BearerAuthFilter(new BearerAuthFilter.Config(paths, builder.enabled,
                anonymousCaller), authentication, new SessionGuard(sessions, answers), gate, builder.accessListener);
        BearerAuthRoutingFeature routing = new BearerAuthRoutingFeature(new OriginGuard(paths, browserAccess, answers),
                new CorsPolicy(paths, browserAccess), filter, metadata, sessions);
        return new AuthStages(scopesSupported, sessions, metadata, routing);
    }
}
