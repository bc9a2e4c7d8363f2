package com.example.mcp;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Optional;
import org.mcpidp.verifier.AuthInfo;
import org.mcpidp.verifier.BearerChallenge;
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
            refuse(exchange, 401, Optional.of(BearerChallenge.builder().realm("api").build()));
            return;
        }
        try {
            AuthInfo caller = verifier.verify(header.substring(7).strip());
            exchange.setAttribute(AuthInfo.class.getName(), caller); // for the handler
            chain.doFilter(exchange);
        } catch (TokenVerificationException e) {
            // 401 invalid_token, 403 insufficient_scope or 503: the verifier's API decides the answer to a failure
            VerificationFailure failure = e.failure();
            BearerChallenge.Builder challenge = BearerChallenge.builder().realm("api");
            if (failure instanceof VerificationFailure.InsufficientScope insufficient) {
                challenge.scopes(insufficient.required()); // the scopes to ask for
            }
            if (failure instanceof VerificationFailure.Unavailable down) {
                exchange.getResponseHeaders().set("Retry-After", Long.toString(down.retryAfter().toSeconds()));
            }
            refuse(exchange, BearerChallenge.status(failure), BearerChallenge.forFailure(failure, challenge));
        }
    }

    private static void refuse(HttpExchange exchange, int status, Optional<BearerChallenge> challenge)
            throws IOException {
        challenge.ifPresent(value -> exchange.getResponseHeaders().set("WWW-Authenticate", value.headerValue()));
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    @Override
    public String description() {
        return "OAuth 2.1 bearer token check";
    }
}
