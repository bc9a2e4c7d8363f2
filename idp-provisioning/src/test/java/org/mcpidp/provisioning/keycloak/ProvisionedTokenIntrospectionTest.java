package org.mcpidp.provisioning.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mcpidp.provisioning.ApplyListener;
import org.mcpidp.provisioning.DemoTenantFixture;
import org.mcpidp.testkit.KeycloakExtension;
import org.mcpidp.testkit.KeycloakServer;
import org.mcpidp.verifier.AccessPolicy;
import org.mcpidp.verifier.AuthInfo;
import org.mcpidp.verifier.TokenVerifier;
import org.mcpidp.verifier.TrustedIssuer;

/**
 * The provisioning output works end to end: a provisioned agent's token is accepted by the project's verifier, by
 * introspection as the provisioned server client and as a JWT, with the same identity, scopes and audiences.
 */
@ExtendWith(KeycloakExtension.class)
class ProvisionedTokenIntrospectionTest {

    private static final String RESOURCE = "http://127.0.0.1:8080/mcp";
    private static final String SERVER_CLIENT = "mcp-server";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static KeycloakServer server;
    private static String realm;
    private static final Map<String, String> secrets = new HashMap<>();

    @BeforeAll
    static void provisionDemoTenant(KeycloakServer keycloak) throws Exception {
        server = keycloak;
        realm = TenantFixture.randomRealm();
        try (KeycloakProvisioner provisioner = TenantFixture.provisioner(server)) {
            var spec = DemoTenantFixture.tenant(dir, DemoTenantFixture.demo(realm, "http://127.0.0.1:8080/mcp"));
            provisioner.apply(provisioner.plan(spec), secrets::put, ApplyListener.silent());
        }
    }

    @AfterAll
    static void deleteRealm() {
        if (realm != null) {
            server.admin().delete("/" + realm);
        }
    }

    @Test
    void whenAgentTokenIsVerifiedByIntrospectionThenItIsAcceptedWithTheScopeAndBothAudiences() throws Exception {
        AuthInfo info = introspectingVerifier().verify(readerToken());

        assertIsAgentReader(info);
    }

    @Test
    void whenAgentTokenIsVerifiedAsJwtThenItIsAcceptedWithTheScopeAndBothAudiences() throws Exception {
        AuthInfo info = jwtVerifier().verify(readerToken());

        assertIsAgentReader(info);
    }

    @Test
    void whenOneAgentTokenIsVerifiedBothWaysThenSubjectClientScopesAndAudiencesAgree() throws Exception {
        String token = readerToken();

        AuthInfo introspected = introspectingVerifier().verify(token);
        AuthInfo fromJwt = jwtVerifier().verify(token);

        assertThat(fromJwt.subject()).isEqualTo(introspected.subject());
        assertThat(fromJwt.clientId()).isEqualTo(introspected.clientId());
        assertThat(fromJwt.scopes()).isEqualTo(introspected.scopes());
        assertThat(fromJwt.audiences()).isEqualTo(introspected.audiences());
    }

    private static TokenVerifier introspectingVerifier() {
        return TokenVerifier.builder()
                .policy(policy())
                .issuer(TrustedIssuer.introspection(server.issuer(realm), SERVER_CLIENT,
                        secrets.get("MCP_SERVER_SECRET")).build())
                .build();
    }

    private static TokenVerifier jwtVerifier() {
        return TokenVerifier.builder()
                .policy(policy())
                .issuer(TrustedIssuer.jwt(server.issuer(realm)).build())
                .build();
    }

    private static AccessPolicy policy() {
        return AccessPolicy.builder().audiences(RESOURCE, SERVER_CLIENT).build();
    }

    private static void assertIsAgentReader(AuthInfo info) {
        assertThat(info.issuer()).isEqualTo(server.issuer(realm));
        assertThat(info.clientId()).contains("agent-reader");
        assertThat(info.scopes()).contains("mcp:read").doesNotContain("mcp:write", "mcp:admin");
        assertThat(info.audiences()).contains(RESOURCE, SERVER_CLIENT);
    }

    private static String readerToken() throws Exception {
        OkHttpClient http = server.admin().http();
        Request request = new Request.Builder().url(server.issuer(realm) + "/protocol/openid-connect/token")
                .header("Authorization", Credentials.basic("agent-reader", secrets.get("AGENT_READER_SECRET")))
                .post(new FormBody.Builder().add("grant_type", "client_credentials").add("scope", "mcp:read").build())
                .build();
        try (Response response = http.newCall(request).execute()) {
            String body = response.body().string();
            assertThat(response.code()).as("token response %s", body).isEqualTo(200);
            return JSON.readTree(body).get("access_token").asText();
        }
    }
}
