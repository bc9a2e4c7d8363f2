package org.mcpidp.provisioning.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.mcpidp.provisioning.ApplyListener;
import org.mcpidp.provisioning.DemoTenantFixture;
import org.mcpidp.provisioning.Plan;
import org.mcpidp.provisioning.ServersFixture;
import org.mcpidp.provisioning.spec.ResourceSpec;
import org.mcpidp.provisioning.spec.TenantSpec;
import org.mcpidp.testkit.KeycloakServer;
import org.mcpidp.verifier.AccessPolicy;
import org.mcpidp.verifier.AuthInfo;
import org.mcpidp.verifier.TokenVerificationException;
import org.mcpidp.verifier.TokenVerifier;
import org.mcpidp.verifier.TrustedIssuer;

/**
 * The two-server tenant ({@link ServersFixture}) provisioned into a real Keycloak, and what each server would do with
 * a token: its verifiers are built the way helidon-mcp-auth's {@code VerifierConfig} builds them for a server whose
 * resource is its URL (accepted audiences: the URL, plus the introspection client id when it introspects).
 */
final class TwoServers implements AutoCloseable {

    static final String ORDERS_URL = "http://127.0.0.1:18081/mcp";
    static final String HR_URL = "http://127.0.0.1:18082/mcp";
    static final String REDIRECT = "http://127.0.0.1:6274/oauth/callback";
    private static final ObjectMapper JSON = new ObjectMapper();

    final KeycloakServer server;
    final String realm;
    final TenantSpec spec;
    final Plan plan;
    final Map<String, String> secrets = new HashMap<>(Map.of("ALICE_PASSWORD", "alice-servers-pw-7",
            "BOB_PASSWORD", "bob-servers-pw-7"));
    final SelfServiceEndpoints endpoints;

    private TwoServers(KeycloakServer server, String realm, TenantSpec spec, Plan plan) {
        this.server = server;
        this.realm = realm;
        this.spec = spec;
        this.plan = plan;
        this.endpoints = new SelfServiceEndpoints(server.baseUrl(), realm);
    }

    /** Plans and applies the tenant under a random realm; the URLs are written with a trailing slash on purpose. */
    static TwoServers provision(KeycloakServer server, Path dir) {
        String realm = TenantFixture.randomRealm();
        Map<String, String> env = Map.of("ALICE_PASSWORD", "alice-servers-pw-7", "BOB_PASSWORD", "bob-servers-pw-7");
        TenantSpec spec = DemoTenantFixture.tenant(dir, ServersFixture.twoServers(realm, ORDERS_URL + "/", HR_URL + "/"),
                env);
        try (KeycloakProvisioner provisioner = TenantFixture.provisioner(server)) {
            Plan plan = provisioner.plan(spec);
            TwoServers servers = new TwoServers(server, realm, spec, plan);
            provisioner.apply(plan, servers.secrets::put, ApplyListener.silent());
            return servers;
        }
    }

    ResourceSpec orders() {
        return spec.server(ServersFixture.ORDERS).orElseThrow();
    }

    ResourceSpec hr() {
        return spec.server(ServersFixture.HR).orElseThrow();
    }

    SelfServiceEndpoints.Answer agent(String scope, String resource) {
        return endpoints.clientCredentials("agent-both", secrets.get("AGENT_BOTH_SECRET"), scope, resource);
    }

    SelfServiceEndpoints.Answer person(String username, String scope, String resource) {
        return endpoints.authorizationCode("desk", REDIRECT, username, secrets.get(username.toUpperCase() + "_PASSWORD"),
                scope, resource);
    }

    /** The server's verifier when it introspects with its own client: accepts its URL and its client id. */
    TokenVerifier introspecting(ResourceSpec mcp) {
        return TokenVerifier.builder()
                .policy(AccessPolicy.builder().audiences(mcp.url().toString(), mcp.clientId()).build())
                .issuer(TrustedIssuer.introspection(server.issuer(realm), mcp.clientId(),
                        secrets.get(mcp.secret().envName())).build())
                .build();
    }

    /** The server's verifier when it validates JWTs: accepts its URL. */
    TokenVerifier jwt(ResourceSpec mcp) {
        return TokenVerifier.builder()
                .policy(AccessPolicy.builder().audiences(mcp.url().toString()).build())
                .issuer(TrustedIssuer.jwt(server.issuer(realm)).build())
                .build();
    }

    /** Both verifiers of a server; each either accepts the token or says why not. */
    List<Verdict> verdicts(ResourceSpec mcp, String token) {
        return List.of(verdict("introspection", introspecting(mcp), token), verdict("jwt", jwt(mcp), token));
    }

    record Verdict(String mode, AuthInfo accepted, String refusal) {
        boolean isAccepted() {
            return accepted != null;
        }
    }

    private static Verdict verdict(String mode, TokenVerifier verifier, String token) {
        try {
            return new Verdict(mode, verifier.verify(token), null);
        } catch (TokenVerificationException e) {
            return new Verdict(mode, null, e.getMessage());
        }
    }

    /** The {@code aud} of an access token as Keycloak wrote it (a string or a list). */
    static Set<String> audience(SelfServiceEndpoints.Answer answer) {
        JsonNode aud = claims(answer).path("aud");
        Set<String> values = new TreeSet<>();
        if (aud.isArray()) {
            aud.forEach(a -> values.add(a.asText()));
        } else if (aud.isTextual()) {
            values.add(aud.asText());
        }
        return values;
    }

    static JsonNode claims(SelfServiceEndpoints.Answer answer) {
        String[] parts = answer.body().path("access_token").asText("").split("\\.");
        if (parts.length < 2) {
            throw new AssertionError("no access token (HTTP " + answer.status() + ", " + answer.body().path("error")
                    .asText() + ": " + answer.body().path("error_description").asText() + " "
                    + answer.body().path("location").asText() + ")");
        }
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String token(SelfServiceEndpoints.Answer answer) {
        claims(answer);
        return answer.body().path("access_token").asText();
    }

    @Override
    public void close() {
        server.admin().delete("/" + realm);
    }
}
