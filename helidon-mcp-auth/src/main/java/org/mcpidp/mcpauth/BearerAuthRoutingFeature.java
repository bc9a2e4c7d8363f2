package org.mcpidp.mcpauth;

import io.helidon.common.Weighted;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRouting;
import java.util.Optional;

/**
 * Installs, on one socket's routing, the stages in front of MCP in their order (origin guard, CORS, bearer filter)
 * and the protected resource metadata routes.
 */
final class BearerAuthRoutingFeature implements HttpFeature, Weighted {

    /** The SDK engine's endpoint, at the MCP path. */
    record Mounted(String path, SdkEndpoint endpoint) {
    }

    private final OriginGuard originGuard;
    private final CorsPolicy cors;
    private final Optional<BearerAuthFilter> bearer;
    private final Optional<Mounted> endpoint;
    private final ProtectedResourceMetadata metadata;
    private final SessionRegistry sessions;
    private final SdkEngine engine;

    BearerAuthRoutingFeature(OriginGuard originGuard, CorsPolicy cors, Optional<BearerAuthFilter> bearer,
                             Optional<Mounted> endpoint, ProtectedResourceMetadata metadata,
                             SessionRegistry sessions, SdkEngine engine) {
        this.originGuard = originGuard;
        this.cors = cors;
        this.bearer = bearer;
        this.endpoint = endpoint;
        this.metadata = metadata;
        this.sessions = sessions;
        this.engine = engine;
    }

    @Override
    public void setup(HttpRouting.Builder routing) {
        // Filters run in the order added: a refused Origin or Host never reaches token checks or body reads, and a
        // preflight (which never carries a token) is answered before authentication.
        routing.addFilter(originGuard);
        routing.addFilter(cors);
        bearer.ifPresent(routing::addFilter);
        routing.register(metadata);
        endpoint.ifPresent(mounted -> routing.register(mounted.path(), mounted.endpoint()));
    }

    @Override
    public void beforeStart() {
        sessions.start();
    }

    @Override
    public void afterStop() {
        sessions.stop();
        if (engine != null) {
            engine.close();
        }
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
