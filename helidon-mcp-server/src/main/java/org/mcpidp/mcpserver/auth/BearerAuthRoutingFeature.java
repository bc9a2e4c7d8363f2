package org.mcpidp.mcpserver.auth;

import io.helidon.common.Weighted;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRouting;

/**
 * Installs, on one socket's routing, the stages in front of MCP in their order (origin guard, CORS, bearer filter)
 * and the protected resource metadata routes.
 */
final class BearerAuthRoutingFeature implements HttpFeature, Weighted {

    private final BearerAuthFeature feature;
    private final ProtectedResourceMetadata metadata;

    BearerAuthRoutingFeature(BearerAuthFeature feature, ProtectedResourceMetadata metadata) {
        this.feature = feature;
        this.metadata = metadata;
    }

    @Override
    public void setup(HttpRouting.Builder routing) {
        GuardedPaths paths = new GuardedPaths(feature.mcpPath());
        // Filters run in the order added: a refused Origin or Host never reaches token checks or body reads, and a
        // preflight (which never carries a token) is answered before authentication.
        routing.addFilter(new OriginGuard(paths, feature.browserAccess(), feature.outcomeListener()));
        routing.addFilter(new CorsPolicy(paths, feature.browserAccess()));
        routing.addFilter(new BearerAuthFilter(feature, metadata.metadataUrl()));
        routing.register(metadata);
    }

    @Override
    public void beforeStart() {
        feature.sessions().start();
    }

    @Override
    public void afterStop() {
        feature.sessions().stop();
    }

    @Override
    public double weight() {
        return BearerAuthFeature.WEIGHT;
    }

    @Override
    public String toString() {
        return "MCP bearer authentication";
    }
}
