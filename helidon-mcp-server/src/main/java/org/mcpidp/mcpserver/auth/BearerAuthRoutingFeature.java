package org.mcpidp.mcpserver.auth;

import io.helidon.common.Weighted;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRouting;

/** Installs the bearer filter and the protected resource metadata routes on one socket's routing. */
final class BearerAuthRoutingFeature implements HttpFeature, Weighted {

    private final BearerAuthFeature feature;
    private final ProtectedResourceMetadata metadata;

    BearerAuthRoutingFeature(BearerAuthFeature feature, ProtectedResourceMetadata metadata) {
        this.feature = feature;
        this.metadata = metadata;
    }

    @Override
    public void setup(HttpRouting.Builder routing) {
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
