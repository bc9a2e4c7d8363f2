package org.mcpidp.mcpauth;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * What one {@link BearerAuthFeature} was built with: a snapshot of its builder taken by {@code build()}, so that the
 * stages never see a builder that is changed (or built again) afterwards.
 *
 * @param resource the resolved resource URL (configured, or derived from the listen address)
 * @param stateless the Helidon MCP extension's stateless mode (its session guard follows it)
 */
record AuthSettings(URI resource, String mcpPath, String resourceName, Optional<String> resourceDocumentation,
                    List<String> authorizationServers, Set<String> scopesSupported, String scopePrefix,
                    long maxBodySize, boolean enabled, AccessListener accessListener, boolean acceptRequestId,
                    LongSupplier nanoTime, LongSupplier sessionClock, SessionLimits sessionLimits,
                    int maxListensPerPrincipal, Optional<SdkEngine> engine, boolean stateless) {

    AuthSettings {
        authorizationServers = List.copyOf(authorizationServers);
        scopesSupported = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(scopesSupported));
    }
}
