package org.mcpidp.mcpauth;

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
    private final Answers answers;
    private final RequestIds requestIds;

    OriginGuard(GuardedPaths paths, BrowserAccess access, Answers answers, RequestIds requestIds) {
        this.paths = paths;
        this.access = access;
        this.answers = answers;
        this.requestIds = requestIds;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String path = req.path().path();
        if (!paths.isMcp(path) && !paths.isMetadata(path)) {
            chain.proceed();
            return;
        }
        Optional<Refusal> refusal = check(req.headers().first(HeaderNames.HOST), req.headers().first(HeaderNames.ORIGIN),
                req.isSecure());
        if (refusal.isPresent()) {
            // Nothing from the request is logged: Host and Origin are attacker-chosen text.
            LOGGER.log(System.Logger.Level.DEBUG, () -> "403 " + refusal.get().reason());
            // like every answer of the MCP endpoint, a refusal here carries the request's id
            res.header(RequestIds.HEADER, requestIds.of(req));
            answers.refuse(res, null, refusal.get());
            return;
        }
        chain.proceed();
    }

    /** The refusal of a request with these {@code Host} and {@code Origin} headers, if it is refused. */
    Optional<Refusal> check(Optional<String> host, Optional<String> origin, boolean secure) {
        // A browser always sends Host; a request without one cannot be a rebinding attack, and HTTP/1.1 needs it.
        if (host.isPresent() && !access.hostAllowed(host.get(), secure)) {
            return Optional.of(refusal("host_not_allowed", "the Host header does not name this server"));
        }
        if (origin.isPresent() && !access.originAllowed(origin.get())) {
            return Optional.of(refusal("origin_not_allowed",
                    "requests from this Origin are not allowed (mcp.allowed-origins)"));
        }
        return Optional.empty();
    }

    private static Refusal refusal(String error, String description) {
        return Refusal.of(Status.FORBIDDEN_403, AuthOutcome.ORIGIN_REFUSED, error, description);
    }
}
