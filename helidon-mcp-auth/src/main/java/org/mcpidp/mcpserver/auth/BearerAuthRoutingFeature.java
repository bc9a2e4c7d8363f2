package org.mcpidp.mcpserver.auth;

import io.helidon.common.Weighted;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRouting;

/**
 * Installs, on one socket's routing, the stages in front of MCP in their order (origin guard, CORS, bearer filter)
 * and the protected resource metadata routes.
 */
final class BearerAuthRoutingFeature implements HttpFeature, Weighted {

    private final OriginGuard originGuard;
    private final CorsPolicy cors;
    private final BearerAuthFilter bearer;
    private final ProtectedResourceMetadata metadata;
    private final SessionRegistry sessions;

    BearerAuthRoutingFeature(OriginGuard originGuard, CorsPolicy cors, BearerAuthFilter bearer,
                             ProtectedResourceMetadata metadata, SessionRegistry sessions) {
        this.originGuard = originGuard;
        this.cors = cors;
        this.bearer = bearer;
        this.metadata = metadata;
        this.sessions = sessions;
    }

    @Override
    public void setup(HttpRouting.Builder routing) {
        // Filters run in the order added: a refused Origin or Host never reaches token checks or body reads, and a
        // preflight (which never carries a token) is answered before authentication.
        routing.addFilter(originGuard);
        routing.addFilter(cors);
        routing.addFilter(bearer);
        routing.register(metadata);
    }

    @Override
    public void beforeStart() {
        sessions.start();
    }

    @Override
    public void afterStop() {
        sessions.stop();
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
