package org.mcpidp.mcpserver;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Duration;
import okhttp3.OkHttpClient;
import org.mcpidp.downstream.DownstreamCalls;
import org.mcpidp.downstream.DownstreamTokens;
import org.mcpidp.downstream.KeycloakTokenExchange;
import org.mcpidp.mcpserver.tools.ListOrdersTool;

/**
 * The demo's downstream wiring: Keycloak token exchange by this server's client, cached, and the tool that uses it.
 * The exchange belongs to the first issuer: a caller of another trusted issuer gets ISSUER_NOT_ALLOWED.
 */
final class DemoDownstream {

    private DemoDownstream() {
    }

    static ListOrdersTool listOrders(DownstreamSettings settings, MeterRegistry registry) {
        // One client for the exchange and the API calls (shared pools), with timeouts. The calls in flight are
        // bounded by the users of the client: KeycloakTokenExchange (maxConcurrent exchanges) and DownstreamCalls
        // (DEFAULT_MAX_IN_FLIGHT API calls, each until its response is closed).
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(2))
                .readTimeout(Duration.ofSeconds(5))
                .callTimeout(Duration.ofSeconds(10))
                .build();
        DownstreamTokens tokens = DownstreamTokens.builder()
                .exchanger(KeycloakTokenExchange.builder()
                        .issuer(settings.issuer())
                        .tokenEndpoint(URI.create(settings.tokenEndpoint().toString()))
                        .clientId(settings.clientId())
                        .clientSecret(settings.clientSecret())
                        .httpClient(http)
                        .build())
                .meterRegistry(registry)
                .build();
        return new ListOrdersTool(DownstreamCalls.create(tokens, http), settings.ordersApi());
    }
}
