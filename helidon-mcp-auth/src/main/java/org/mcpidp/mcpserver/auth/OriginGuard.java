package org.mcpidp.mcpserver.auth;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.Optional;

/**
 * The first stage in front of MCP and the metadata documents: refuses, with 403 and before any token check or body
 * read, a request whose {@code Host} is not this server or whose {@code Origin} is neither this server nor allowed
 * ({@link BrowserAccess}). Requests without {@code Origin} (desktop clients, curl) are judged by {@code Host} only.
 */
final class OriginGuard implements Filter {

    private static final System.Logger LOGGER = System.getLogger(OriginGuard.class.getName());

    private final GuardedPaths paths;
    private final BrowserAccess access;
    private final ErrorAnswers answers;

    OriginGuard(GuardedPaths paths, BrowserAccess access, ErrorAnswers answers) {
        this.paths = paths;
        this.access = access;
        this.answers = answers;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String path = req.path().path();
        if (!paths.isMcp(path) && !paths.isMetadata(path)) {
            chain.proceed();
            return;
        }
        // A browser always sends Host; a request without one cannot be a rebinding attack, and HTTP/1.1 needs it.
        Optional<String> host = req.headers().first(HeaderNames.HOST);
        if (host.isPresent() && !access.hostAllowed(host.get(), req.isSecure())) {
            refuse(res, "host_not_allowed", "the Host header does not name this server");
            return;
        }
        Optional<String> origin = req.headers().first(HeaderNames.ORIGIN);
        if (origin.isPresent() && !access.originAllowed(origin.get())) {
            refuse(res, "origin_not_allowed", "requests from this Origin are not allowed (mcp.allowed-origins)");
            return;
        }
        chain.proceed();
    }

    private void refuse(RoutingResponse res, String error, String description) {
        // Nothing from the request is logged: Host and Origin are attacker-chosen text.
        LOGGER.log(System.Logger.Level.DEBUG, () -> "403 " + error);
        answers.refuse(res, AuthOutcome.ORIGIN_REFUSED, Status.FORBIDDEN_403, error, description);
    }
}
