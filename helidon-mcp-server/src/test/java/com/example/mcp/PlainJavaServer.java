package com.example.mcp;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.mcpidp.verifier.AccessPolicy;
import org.mcpidp.verifier.AuthInfo;
import org.mcpidp.verifier.TokenVerifier;
import org.mcpidp.verifier.TrustedIssuer;

/** A plain JDK HTTP server whose /api needs a token of the realm with scope orders:read. */
public final class PlainJavaServer {

    public static void main(String[] args) throws IOException {
        start(8090, "https://keycloak.example.com/realms/orders").start();
    }

    static HttpServer start(int port, String issuer) throws IOException {
        TokenVerifier verifier = TokenVerifier.builder()
                .policy(AccessPolicy.builder()
                        .audiences("http://127.0.0.1:" + port + "/api") // the resource URL the tokens are for
                        .requiredScopes("orders:read")
                        .build())
                .issuer(TrustedIssuer.jwt(issuer).build()) // keys from the issuer's JWKS
                .build();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/api", exchange -> {
            AuthInfo caller = (AuthInfo) exchange.getAttribute(AuthInfo.class.getName());
            byte[] body = ("hello " + caller.subject()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        }).getFilters().add(new BearerFilter(verifier));
        return server;
    }
}
