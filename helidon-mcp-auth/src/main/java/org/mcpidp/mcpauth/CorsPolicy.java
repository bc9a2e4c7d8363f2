package org.mcpidp.mcpauth;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.Optional;

/**
 * CORS for the MCP endpoint, for the origins of {@code mcp.allowed-origins} only (runs after {@link OriginGuard}, before
 * the bearer filter). A preflight never carries a token, so it is answered here, 204, before authentication. Every
 * other answer to an allowed origin, the filter's 401/403/404/429/503 included, carries
 * {@code Access-Control-Allow-Origin} and exposes {@code WWW-Authenticate} (a browser client must read the challenge
 * to find the authorization server) and {@code Mcp-Session-Id}. No credentials mode: the token travels in
 * {@code Authorization}, never in a cookie. The metadata documents keep their own {@code *} (they are public).
 */
final class CorsPolicy implements Filter {

    static final String ALLOW_METHODS = "GET, POST, DELETE, OPTIONS";
    static final String ALLOW_HEADERS = "Authorization, Content-Type, Mcp-Session-Id, Mcp-Protocol-Version, "
            + "Mcp-Method, Mcp-Name, Last-Event-ID";
    static final String EXPOSE_HEADERS = "WWW-Authenticate, Mcp-Session-Id";
    /** Seconds a browser may reuse a preflight answer (Chromium caps it at 7200). */
    static final String MAX_AGE = "600";

    private final GuardedPaths paths;
    private final BrowserAccess access;

    CorsPolicy(GuardedPaths paths, BrowserAccess access) {
        this.paths = paths;
        this.access = access;
    }

    /**
     * The fixed list, plus the {@code Mcp-Param-*} headers (2026-07-28: a tool's arguments mirrored into headers,
     * named by the tool's schema) the preflight asks for: no other name is echoed back.
     */
    static String allowHeaders(String requested) {
        StringBuilder allowed = new StringBuilder(ALLOW_HEADERS);
        for (String name : requested.split(",")) {
            String header = name.strip();
            if (header.regionMatches(true, 0, "Mcp-Param-", 0, "Mcp-Param-".length())
                    && header.length() > "Mcp-Param-".length() && header.chars().allMatch(c ->
                    c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                allowed.append(", ").append(header);
            }
        }
        return allowed.toString();
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        Optional<String> origin = req.headers().first(HeaderNames.ORIGIN);
        if (origin.isEmpty() || !paths.isMcp(req.path().path()) || !access.corsAllowed(origin.get())) {
            chain.proceed();
            return;
        }
        res.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin.get().strip());
        res.header(HeaderNames.VARY, "Origin");
        if (Method.OPTIONS.equals(req.prologue().method())
                && req.headers().contains(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD)) {
            res.header(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS, ALLOW_METHODS);
            res.header(HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, allowHeaders(req.headers()
                    .first(HeaderNames.ACCESS_CONTROL_REQUEST_HEADERS).orElse("")));
            res.header(HeaderNames.ACCESS_CONTROL_MAX_AGE, MAX_AGE);
            res.status(Status.NO_CONTENT_204).send();
            return;
        }
        res.header(HeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSE_HEADERS);
        chain.proceed();
    }
}
