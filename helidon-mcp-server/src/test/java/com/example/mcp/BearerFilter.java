package com.example.mcp;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import org.mcpidp.verifier.AuthInfo;
import org.mcpidp.verifier.TokenVerificationException;
import org.mcpidp.verifier.TokenVerifier;
import org.mcpidp.verifier.VerificationFailure;

/** The verifier in another server: a JDK HttpServer filter that lets only requests with a valid bearer token pass. */
public final class BearerFilter extends Filter {

    private final TokenVerifier verifier;

    public BearerFilter(TokenVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            refuse(exchange, 401, "Bearer realm=\"api\"");
            return;
        }
        try {
            AuthInfo caller = verifier.verify(header.substring(7).strip());
            exchange.setAttribute(AuthInfo.class.getName(), caller); // for the handler
            chain.doFilter(exchange);
        } catch (TokenVerificationException e) {
            switch (e.failure()) {
                case VerificationFailure.InvalidToken invalid -> refuse(exchange, 401,
                        "Bearer realm=\"api\", error=\"invalid_token\"");
                case VerificationFailure.InsufficientScope scope -> refuse(exchange, 403, "Bearer realm=\"api\", "
                        + "error=\"insufficient_scope\", scope=\"" + String.join(" ", scope.required()) + "\"");
                case VerificationFailure.Unavailable down -> {
                    exchange.getResponseHeaders().set("Retry-After", Long.toString(down.retryAfter().toSeconds()));
                    refuse(exchange, 503, null);
                }
            }
        }
    }

    private static void refuse(HttpExchange exchange, int status, String challenge) throws IOException {
        if (challenge != null) {
            exchange.getResponseHeaders().set("WWW-Authenticate", challenge);
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    @Override
    public String description() {
        return "OAuth 2.1 bearer token check";
    }
}
