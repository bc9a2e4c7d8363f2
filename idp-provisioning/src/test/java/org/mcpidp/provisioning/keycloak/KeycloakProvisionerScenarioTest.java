package org.mcpidp.provisioning.keycloak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mcpidp.provisioning.ApplyListener;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.DemoTenantFixture;
import org.mcpidp.provisioning.FieldChange;
import org.mcpidp.provisioning.Plan;
import org.mcpidp.provisioning.ProvisioningException;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.SecretSink;
import org.mcpidp.provisioning.spec.TenantSpec;
import org.mcpidp.testkit.KeycloakExtension;
import org.mcpidp.testkit.KeycloakServer;

/**
 * Numbered scenarios against a real Keycloak. Each test provisions its own random realm and deletes it, so the
 * order they run in does not matter.
 */
@ExtendWith(KeycloakExtension.class)
class KeycloakProvisionerScenarioTest {

    private static final String MCP_URL = "http://127.0.0.1:8080/mcp";

    @TempDir
    Path dir;

    private KeycloakServer server;
    private KeycloakProvisioner provisioner;
    private final String realm = TenantFixture.randomRealm();
    private final Map<String, String> secrets = new HashMap<>();

    @BeforeEach
    void connect(KeycloakServer server) {
        this.server = server;
        provisioner = TenantFixture.provisioner(server);
    }

    @AfterEach
    void cleanUp() {
        try {
            server.admin().delete("/" + realm);
        } catch (RuntimeException alreadyGone) {
            // the scenario may never have created it
        }
        provisioner.close();
    }

    private TenantSpec spec(String yaml) {
        return DemoTenantFixture.tenant(dir, yaml);
    }

    private Plan apply(TenantSpec spec) {
        return DemoTenantFixture.apply(provisioner, spec, secrets::put);
    }

    @Test
    void scenario01_whenRealmIsNewThenApplyCreatesEverythingAndConverges() {
        TenantSpec spec = spec(DemoTenantFixture.demo(realm, MCP_URL));

        Plan plan = apply(spec);

        assertThat(plan.changes()).allMatch(c -> c instanceof Change.Create);
        assertThat(plan.changes()).extracting(Change::type).startsWith(ResourceType.REALM);
        assertThat(plan.unchanged()).isZero();
        assertThat(provisioner.plan(spec).changes()).isEmpty();
        JsonNode inspector = server.admin().get("/" + realm + "/clients?clientId=mcp-inspector").get(0);
        assertThat(inspector.get("publicClient").asBoolean()).isTrue();
        assertThat(inspector.get("attributes").get("pkce.code.challenge.method").asText()).isEqualTo("S256");
        assertThat(secrets).containsOnlyKeys("MCP_SERVER_SECRET", "AGENT_READER_SECRET", "AGENT_WRITER_SECRET",
                "AGENT_ADMIN_SECRET", "ALICE_PASSWORD");
        List<String> scopes = new ArrayList<>();
        server.admin().get("/" + realm + "/client-scopes").forEach(s -> scopes.add(s.get("name").asText()));
        assertThat(scopes).contains("profile", "email", "roles", "web-origins", "acr", "basic", "mcp:read");
    }

    @Test
    void scenario02_whenSpecIsUnchangedThenReapplyMakesZeroWrites() {
        TenantSpec spec = spec(DemoTenantFixture.demo(realm, MCP_URL));
        apply(spec);
        long before = provisioner.writes();

        Plan again = apply(spec);

        assertThat(again.changes()).isEmpty();
        assertThat(again.unchanged()).isEqualTo(16);
        assertThat(provisioner.writes() - before).isZero();
    }

    @Test
    void scenario03_whenOneScopeAndOneClientChangeThenOnlyThoseAreUpdated() {
        apply(spec(DemoTenantFixture.demo(realm, MCP_URL)));
        TenantSpec changed = spec(DemoTenantFixture.demo(realm, MCP_URL)
                .replace("description: write", "description: write things")
                .replace("scopes: [mcp:read]\n      - clientId: agent-writer", "scopes: [mcp:read, mcp:write]\n      - clientId: agent-writer"));

        Plan plan = provisioner.plan(changed);

        assertThat(plan.changes()).containsExactly(
                new Change.Update(ResourceType.CLIENT_SCOPE, "mcp:write",
                        List.of(new FieldChange("description", "write", "write things"))),
                new Change.Update(ResourceType.CLIENT, "agent-reader",
                        List.of(new FieldChange("optionalScopes", "mcp:read", "mcp:read, mcp:write"))));
        long before = provisioner.writes();
        provisioner.apply(plan, SecretSink.discard(), ApplyListener.silent());
        assertThat(provisioner.writes() - before).isEqualTo(2);
        assertThat(provisioner.plan(changed).changes()).isEmpty();
    }

    @Test
    void scenario04_whenObjectsLeaveTheSpecThenOnlyOwnedOnesAreDeleted() {
        String withExtras = DemoTenantFixture.demo(realm, MCP_URL)
                .replace("      - name: admin\n", "      - name: admin\n      - name: old-role\n")
                .replace("    users:\n", """
                          - clientId: agent-old
                            type: agent
                        users:
                          - username: carol
                    """)
                .replace("    users:\n      - username: carol\n", "    users:\n      - username: carol\n        roles: [old-role]\n");
        apply(spec(withExtras));
        server.admin().post("/" + realm + "/roles", Map.of("name", "hand-made-role"));
        server.admin().post("/" + realm + "/users", Map.of("username", "dave", "enabled", true));

        Plan plan = provisioner.plan(spec(DemoTenantFixture.demo(realm, MCP_URL)));

        assertThat(plan.changes()).containsExactly(
                new Change.Delete(ResourceType.USER, "carol"),
                new Change.Delete(ResourceType.CLIENT, "agent-old"),
                new Change.Delete(ResourceType.ROLE, "old-role"));
        provisioner.apply(plan, SecretSink.discard(), ApplyListener.silent());
        assertThat(server.admin().get("/" + realm + "/roles/hand-made-role").get("name").asText()).isEqualTo("hand-made-role");
        assertThat(server.admin().get("/" + realm + "/users?username=dave&exact=true")).hasSize(1);
        assertThat(server.admin().get("/" + realm + "/users?username=carol&exact=true")).isEmpty();
    }

    @Test
    void scenario05_whenAClientIsUserMadeThenItSurvivesAndIsNotPlanned() {
        TenantSpec spec = spec(DemoTenantFixture.demo(realm, MCP_URL));
        apply(spec);
        server.admin().post("/" + realm + "/clients", Map.of("clientId", "hand-made", "publicClient", true));

        Plan plan = provisioner.plan(spec(DemoTenantFixture.demo(realm, MCP_URL).replace("      - clientId: agent-writer\n        type: agent\n        scopes: [mcp:read, mcp:write]\n", "")));

        assertThat(plan.changes()).containsExactly(new Change.Delete(ResourceType.CLIENT, "agent-writer"));
        provisioner.apply(plan, SecretSink.discard(), ApplyListener.silent());
        assertThat(server.admin().get("/" + realm + "/clients?clientId=hand-made")).hasSize(1);
    }

    @Test
    void scenario06_whenApplyIsInterruptedThenReapplyConverges() {
        TenantSpec spec = spec(DemoTenantFixture.demo(realm, MCP_URL));
        Plan plan = provisioner.plan(spec);
        provisioner.gatewayForTests().writeBudget(9);

        assertThatThrownBy(() -> provisioner.apply(plan, secrets::put, ApplyListener.silent()))
                .isInstanceOf(ProvisioningException.class)
                .hasMessageContaining("write budget exhausted");
        provisioner.gatewayForTests().writeBudget(Long.MAX_VALUE / 2);

        Plan resumed = provisioner.plan(spec);
        assertThat(resumed.changes()).isNotEmpty().noneMatch(c -> c.type() == ResourceType.REALM);
        provisioner.apply(resumed, secrets::put, ApplyListener.silent());
        assertThat(provisioner.plan(spec).changes()).isEmpty();
        assertThat(provisioner.plan(spec).unchanged()).isEqualTo(16);
    }

    // ---- people: role-gated scopes and self-registering clients ----

    private static final String DYNAMIC = """
            registration:
              dynamic: {}
            """;

    private TenantSpec people(String registration) {
        return DemoTenantFixture.tenant(dir, TenantFixture.people(realm, registration), TenantFixture.PASSWORDS);
    }

    /** A public client with direct access grants, made by hand for this test only: the kit never makes one. */
    private void passwordGrantClient() {
        server.admin().post("/" + realm + "/clients", Map.of("clientId", "ropc-test", "publicClient", true,
                "directAccessGrantsEnabled", true, "standardFlowEnabled", false,
                "optionalClientScopes", List.of("mcp:read", "mcp:write", "mcp:admin")));
    }

    @Test
    void scenario07_whenScopesAreRoleGatedThenEachPersonGetsOnlyTheirRolesScopes() {
        apply(people(""));
        passwordGrantClient();
        SelfServiceEndpoints endpoints = new SelfServiceEndpoints(server.baseUrl(), realm);
        String all = "mcp:read mcp:write mcp:admin";

        SelfServiceEndpoints.Answer alice = endpoints.passwordGrant("ropc-test", "alice", "alice-test-pw-7", all);
        SelfServiceEndpoints.Answer carol = endpoints.passwordGrant("ropc-test", "carol", "carol-test-pw-7", all);
        SelfServiceEndpoints.Answer bob = endpoints.passwordGrant("ropc-test", "bob", "bob-test-pw-7", all);

        assertThat(alice.status()).as("%s", alice.body().path("error_description").asText()).isEqualTo(200);
        assertThat(alice.scopes()).contains("mcp:read").doesNotContain("mcp:write", "mcp:admin");
        assertThat(carol.scopes()).contains("mcp:read", "mcp:write").doesNotContain("mcp:admin");
        assertThat(bob.scopes()).contains("mcp:read", "mcp:write", "mcp:admin");
        // The same rule holds for an agent's service account: agent-reader may ask for mcp:write, holds only reader.
        SelfServiceEndpoints.Answer agent = endpoints.clientCredentials("agent-reader", secrets.get("AGENT_READER_SECRET"),
                "mcp:read mcp:write");
        assertThat(agent.status()).as("%s", agent.body().path("error_description").asText()).isEqualTo(200);
        assertThat(agent.scopes()).contains("mcp:read").doesNotContain("mcp:write");
    }

    @Test
    void scenario08_whenAScopeBecomesGatedThenPlanShowsItsRolesAndReapplyMakesZeroWrites() {
        String open = TenantFixture.people(realm, "").replace("        roles: [admin]\n    roles:", "    roles:");
        apply(DemoTenantFixture.tenant(dir, open, TenantFixture.PASSWORDS));
        server.admin().post("/" + realm + "/roles", Map.of("name", "hand-made-role"));
        String scopeId = idOfScope("mcp:admin");
        // A role mapped by hand (not managed by the spec) is neither shown nor removed.
        server.admin().post("/" + realm + "/client-scopes/" + scopeId + "/scope-mappings/realm",
                List.of(server.admin().get("/" + realm + "/roles/hand-made-role")));

        Plan plan = provisioner.plan(people(""));

        assertThat(plan.changes()).containsExactly(new Change.Update(ResourceType.CLIENT_SCOPE, "mcp:admin",
                List.of(new FieldChange("roles", "", "admin"))));
        long before = provisioner.writes();
        provisioner.apply(plan, SecretSink.discard(), ApplyListener.silent());
        assertThat(provisioner.writes() - before).isEqualTo(1);
        long again = provisioner.writes();
        assertThat(apply(people("")).changes()).isEmpty();
        assertThat(provisioner.writes() - again).isZero();
        assertThat(server.admin().get("/" + realm + "/client-scopes/" + scopeId + "/scope-mappings/realm")
                .findValuesAsText("name")).containsExactlyInAnyOrder("admin", "hand-made-role");
    }

    private String idOfScope(String name) {
        for (JsonNode scope : server.admin().get("/" + realm + "/client-scopes")) {
            if (scope.get("name").asText().equals(name)) {
                return scope.get("id").asText();
            }
        }
        throw new AssertionError("no client scope " + name);
    }

    @Test
    void scenario09_whenDynamicRegistrationIsOnThenLoopbackClientsRegisterAndOthersAreRefused() {
        apply(people(DYNAMIC));
        SelfServiceEndpoints endpoints = new SelfServiceEndpoints(server.baseUrl(), realm);

        SelfServiceEndpoints.Answer desktop = endpoints.register(Map.of("client_name", "desktop app",
                "redirect_uris", List.of("http://127.0.0.1:33418/callback"), "token_endpoint_auth_method", "none",
                "scope", "mcp:read mcp:write mcp:admin"));
        SelfServiceEndpoints.Answer withoutScope = endpoints.register(Map.of("client_name", "no scope",
                "redirect_uris", List.of("http://localhost:6274/oauth/callback"), "token_endpoint_auth_method", "none"));
        SelfServiceEndpoints.Answer attacker = endpoints.register(Map.of("client_name", "evil",
                "redirect_uris", List.of("https://attacker.example/cb"), "token_endpoint_auth_method", "none"));
        server.admin().post("/" + realm + "/client-scopes", Map.of("name", "hr:payroll", "protocol", "openid-connect"));
        SelfServiceEndpoints.Answer outside = endpoints.register(Map.of("client_name", "greedy",
                "redirect_uris", List.of("http://localhost:5555/cb"), "token_endpoint_auth_method", "none",
                "scope", "mcp:read hr:payroll"));

        assertThat(desktop.status()).isEqualTo(201);
        assertThat(desktop.body().path("scope").asText().split(" ")).contains("mcp:read", "mcp:write", "mcp:admin");
        assertThat(withoutScope.status()).isEqualTo(201);
        // Registered without 'scope', a client gets the realm's default optional scopes: the MCP ones are among them.
        assertThat(withoutScope.body().path("scope").asText().split(" ")).contains("mcp:read", "mcp:write", "mcp:admin");
        assertThat(attacker.status()).isEqualTo(403);
        assertThat(attacker.body().path("error_description").asText()).contains("Trusted Hosts");
        assertThat(outside.status()).isEqualTo(403);
        assertThat(outside.body().path("error_description").asText()).contains("Allowed Client Scopes");
        JsonNode registered = server.admin().get("/" + realm + "/clients/"
                + server.admin().get("/" + realm + "/clients?clientId=" + desktop.body().path("client_id").asText()).get(0).get("id").asText());
        assertThat(registered.get("consentRequired").asBoolean()).isTrue();
        // The spec's own clients did not pick up the realm default optional MCP scopes.
        List<String> optional = new ArrayList<>();
        server.admin().get("/" + realm + "/clients?clientId=agent-reader").get(0).get("optionalClientScopes")
                .forEach(n -> optional.add(n.asText()));
        assertThat(optional).contains("mcp:read", "mcp:write").doesNotContain("mcp:admin");
        long before = provisioner.writes();
        assertThat(apply(people(DYNAMIC)).changes()).isEmpty();
        assertThat(provisioner.writes() - before).isZero();
    }

    @Test
    void scenario10_whenDynamicRegistrationLeavesTheSpecThenTheRealmIsShutAgain() {
        apply(people(DYNAMIC.replace("{}", "\n    trustedHosts: [localhost, 127.0.0.1, claude.ai]\n    maxClients: 50"
                + "\n    homePageHosts: [github.com]")));
        assertThat(server.admin().get("/" + realm + "/default-optional-client-scopes").findValuesAsText("name"))
                .doesNotContain("offline_access");

        Plan plan = provisioner.plan(people(""));

        assertThat(plan.changes()).extracting(Change::name).containsExactlyInAnyOrder("mcp:read", "mcp:write", "mcp:admin",
                RegistrationPolicyReconciler.NAME, RegistrationRedirectsPolicyReconciler.NAME,
                RegistrationPkcePolicyReconciler.NAME, PeopleSessionReconciler.NAME);
        // Registration is shut before the checks on registering clients (their redirects, PKCE) go.
        assertThat(plan.changes()).extracting(Change::name).containsSubsequence(RegistrationPolicyReconciler.NAME,
                RegistrationRedirectsPolicyReconciler.NAME, RegistrationPkcePolicyReconciler.NAME);
        assertThat(plan.changes()).filteredOn(c -> c.type() == ResourceType.CLIENT_SCOPE)
                .allMatch(c -> ((Change.Update) c).fields().equals(List.of(new FieldChange("realmDefault", "optional", ""))));
        assertThat(plan.changes()).filteredOn(c -> c.type() == ResourceType.REGISTRATION_POLICY)
                .containsExactly(new Change.Delete(ResourceType.REGISTRATION_POLICY, RegistrationPolicyReconciler.NAME));
        provisioner.apply(plan, SecretSink.discard(), ApplyListener.silent());
        SelfServiceEndpoints.Answer refused = new SelfServiceEndpoints(server.baseUrl(), realm).register(Map.of(
                "client_name", "desktop app", "redirect_uris", List.of("http://127.0.0.1:33418/callback"),
                "token_endpoint_auth_method", "none"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(provisioner.plan(people("")).changes()).isEmpty();
        assertThat(server.admin().get("/" + realm).get("attributes").has(RegistrationPolicyReconciler.MARKER)).isFalse();
        assertThat(server.admin().get("/" + realm + "/client-policies/policies").get("policies").findValuesAsText("name"))
                .doesNotContain(RegistrationPkcePolicyReconciler.NAME, RegistrationRedirectsPolicyReconciler.NAME);
        // Back to Keycloak's defaults, which registration had changed: offline_access, the Trusted Hosts policy.
        assertThat(server.admin().get("/" + realm + "/default-optional-client-scopes").findValuesAsText("name"))
                .contains("offline_access");
        assertThat(new SelfServiceEndpoints(server.baseUrl(), realm).discovery().path("scopes_supported").toString())
                .contains("\"offline_access\"");
        JsonNode trustedHosts = anonymousPolicy(RegistrationPolicyReconciler.TRUSTED_HOSTS);
        assertThat(trustedHosts.path("name").asText()).isEqualTo("Trusted Hosts");
        assertThat(trustedHosts.path("config").path("host-sending-registration-request-must-match").toString())
                .isEqualTo("[\"true\"]");
        assertThat(trustedHosts.path("config").path("client-uris-must-match").toString()).isEqualTo("[\"true\"]");
        assertThat(trustedHosts.path("config").has("trusted-hosts")).isFalse();
    }

    /** The realm's anonymous client registration policy of {@code provider}; fails unless there is exactly one. */
    private JsonNode anonymousPolicy(String provider) {
        List<JsonNode> found = new ArrayList<>();
        server.admin().get("/" + realm + "/components?type=" + RegistrationPolicyReconciler.POLICY_TYPE).forEach(c -> {
            if (provider.equals(c.path("providerId").asText()) && "anonymous".equals(c.path("subType").asText())) {
                found.add(c);
            }
        });
        assertThat(found).as("anonymous %s policies", provider).hasSize(1);
        return found.get(0);
    }

    /** What the MCP Inspector 2.12.0 registers (read from its bundle and seen at Keycloak), with {@code redirect}. */
    private static Map<String, Object> inspectorRegistration(String redirect) {
        return Map.of("redirect_uris", List.of(redirect), "token_endpoint_auth_method", "none",
                "grant_types", List.of("authorization_code", "refresh_token"), "response_types", List.of("code"),
                "client_name", "MCP Inspector", "client_uri", "https://github.com/modelcontextprotocol/inspector",
                "scope", "mcp:read mcp:write mcp:admin", "application_type", "native");
    }

    @Test
    void scenario14_whenHomePageHostsAreListedThenAClientMayHaveItsHomePageThereButNeverARedirect() {
        apply(people(DYNAMIC.replace("{}", "\n    homePageHosts: [github.com]")));
        SelfServiceEndpoints endpoints = new SelfServiceEndpoints(server.baseUrl(), realm);
        String loopback = "http://127.0.0.1:6274/oauth/callback";

        SelfServiceEndpoints.Answer inspector = endpoints.register(inspectorRegistration(loopback));
        SelfServiceEndpoints.Answer informational = endpoints.register(Map.of("client_name", "pages elsewhere",
                "token_endpoint_auth_method", "none", "redirect_uris", List.of("http://localhost:33418/callback"),
                "logo_uri", "https://example.org/logo.png", "policy_uri", "https://example.org/privacy",
                "tos_uri", "https://example.org/terms"));

        assertThat(inspector.status()).as(inspector.body().toString()).isEqualTo(201);
        assertThat(inspector.body().path("client_uri").asText()).isEqualTo("https://github.com/modelcontextprotocol/inspector");
        assertThat(informational.status()).as(informational.body().toString()).isEqualTo(201);
        // Refused: redirects (and post-logout redirects) to the home page host, to hosts on no list, to look-alikes of
        // listed names (Trusted Hosts compares names as written), and a home page on a host on no list.
        Map<String, Map<String, Object>> refused = new java.util.LinkedHashMap<>();
        refused.put("redirect to the home page host", inspectorRegistration("https://github.com/attacker/callback"));
        refused.put("redirect elsewhere", inspectorRegistration("https://attacker.example/oauth/callback"));
        refused.put("userinfo trick", inspectorRegistration("http://localhost@attacker.example/cb"));
        refused.put("loopback look-alike", inspectorRegistration("http://127.0.0.1.attacker.example/cb"));
        refused.put("one of two redirects elsewhere", Map.of("client_name", "evil", "token_endpoint_auth_method", "none",
                "redirect_uris", List.of(loopback, "https://github.com/cb")));
        refused.put("post-logout redirect to the home page host", Map.of("client_name", "evil",
                "token_endpoint_auth_method", "none", "redirect_uris", List.of(loopback),
                "post_logout_redirect_uris", List.of("https://github.com/bye")));
        refused.put("home page on no list", Map.of("client_name", "elsewhere", "token_endpoint_auth_method", "none",
                "redirect_uris", List.of(loopback), "client_uri", "https://example.org/app"));
        refused.forEach((what, metadata) -> {
            SelfServiceEndpoints.Answer answer = endpoints.register(metadata);
            assertThat(answer.status()).as(what + ": " + answer.body()).isBetween(400, 403);
            assertThat(answer.body().has("client_id")).as(what).isFalse();
        });
        // A registered client cannot move its redirects to the home page host with its registration access token.
        String clientId = inspector.body().path("client_id").asText();
        SelfServiceEndpoints.Answer moved = endpoints.updateRegistered(clientId,
                inspector.body().path("registration_access_token").asText(),
                rep -> rep.putArray("redirectUris").add("https://github.com/attacker/callback"));
        assertThat(moved.status()).as(moved.body().toString()).isBetween(400, 403);
        JsonNode stored = server.admin().get("/" + realm + "/clients?clientId=" + clientId).get(0);
        assertThat(stored.path("redirectUris").toString()).isEqualTo("[\"" + loopback + "\"]");
        assertThat(stored.path("baseUrl").asText()).isEqualTo("https://github.com/modelcontextprotocol/inspector");
        List<String> listed = new ArrayList<>();
        anonymousPolicy(RegistrationPolicyReconciler.TRUSTED_HOSTS).path("config").path("trusted-hosts")
                .forEach(h -> listed.add(h.asText()));
        assertThat(listed).containsExactlyInAnyOrder("localhost", "127.0.0.1", "github.com");
        // offline_access is not listed: clients that add it when listed (the Inspector) would be refused.
        assertThat(endpoints.discovery().path("scopes_supported").toString()).doesNotContain("offline_access").contains("mcp:read");
        long before = provisioner.writes();
        assertThat(apply(people(DYNAMIC.replace("{}", "\n    homePageHosts: [github.com]"))).changes()).isEmpty();
        assertThat(provisioner.writes() - before).isZero();
    }

    private static final String CALLBACK = "http://127.0.0.1:33418/callback";
    /** A well-formed code challenge (43 unreserved characters); Keycloak checks its form, not what it was made from. */
    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    private static Map<String, String> authorizationRequest(String clientId, String... pkce) {
        Map<String, String> params = new java.util.LinkedHashMap<>(Map.of("client_id", clientId, "response_type", "code",
                "redirect_uri", CALLBACK, "scope", "mcp:read", "state", "st-1"));
        for (int i = 0; i < pkce.length; i += 2) {
            params.put(pkce[i], pkce[i + 1]);
        }
        return params;
    }

    @Test
    void scenario12_whenDynamicRegistrationIsOnThenASelfRegisteredPublicClientMustUsePkceWithS256() {
        apply(people(DYNAMIC));
        SelfServiceEndpoints endpoints = new SelfServiceEndpoints(server.baseUrl(), realm);
        SelfServiceEndpoints.Answer registered = endpoints.register(Map.of("client_name", "desktop app",
                "redirect_uris", List.of(CALLBACK), "token_endpoint_auth_method", "none", "scope", "mcp:read"));
        assertThat(registered.status()).as(registered.body().toString()).isEqualTo(201);
        String clientId = registered.body().path("client_id").asText();

        SelfServiceEndpoints.Authorization none = endpoints.authorize(authorizationRequest(clientId));
        SelfServiceEndpoints.Authorization plain = endpoints.authorize(authorizationRequest(clientId,
                "code_challenge", CHALLENGE, "code_challenge_method", "plain"));
        SelfServiceEndpoints.Authorization s256 = endpoints.authorize(authorizationRequest(clientId,
                "code_challenge", CHALLENGE, "code_challenge_method", "S256"));

        assertThat(none.status()).isEqualTo(302);
        assertThat(none.location()).startsWith(CALLBACK + "?");
        assertThat(none.error()).isEqualTo("invalid_request");
        assertThat(plain.error()).isEqualTo("invalid_request");
        assertThat(s256.status()).as("the login page, %s", s256.location()).isEqualTo(200);
        JsonNode client = server.admin().get("/" + realm + "/clients?clientId=" + clientId).get(0);
        assertThat(client.path("publicClient").asBoolean()).isTrue();
        assertThat(client.path("attributes").path("pkce.code.challenge.method").asText()).isEqualTo("S256");
        // The client cannot drop it with its registration access token: the executor sets it again.
        SelfServiceEndpoints.Answer update = endpoints.updateRegistered(clientId,
                registered.body().path("registration_access_token").asText(),
                rep -> ((com.fasterxml.jackson.databind.node.ObjectNode) rep.path("attributes"))
                        .put("pkce.code.challenge.method", ""));
        assertThat(update.status()).as(update.body().toString()).isEqualTo(200);
        assertThat(endpoints.authorize(authorizationRequest(clientId)).error()).isEqualTo("invalid_request");
        // Clients an administrator makes are not touched: the policy acts on self-registration only.
        server.admin().post("/" + realm + "/clients", Map.of("clientId", "hand-made", "publicClient", true,
                "redirectUris", List.of(CALLBACK), "optionalClientScopes", List.of("mcp:read")));
        assertThat(endpoints.authorize(authorizationRequest("hand-made")).status()).isEqualTo(200);
        long before = provisioner.writes();
        assertThat(apply(people(DYNAMIC)).changes()).isEmpty();
        assertThat(provisioner.writes() - before).isZero();
    }

    @Test
    void scenario11_whenClientIdMetadataDocumentsAreOnThenOurPolicyIsMergedWithOthersAndPrunedAlone() {
        // Needs a Keycloak started with --features=cimd (EXPERIMENTAL in 26.7.3).
        apply(people(""));
        server.admin().put("/" + realm + "/client-policies/profiles", Map.of("profiles", List.of(Map.of("name", "hand-made",
                "executors", List.of(Map.of("executor", "pkce-enforcer", "configuration", Map.of("auto-configure", "false")))))));
        server.admin().put("/" + realm + "/client-policies/policies", Map.of("policies", List.of(Map.of("name", "hand-made",
                "enabled", false, "conditions", List.of(Map.of("condition", "any-client", "configuration", Map.of())),
                "profiles", List.of("hand-made")))));
        String cimd = """
                registration:
                  clientIdMetadataDocuments:
                    allowedDomains: [localhost, 127.0.0.1]
                """;

        Plan plan = provisioner.plan(people(cimd));

        // A CIMD client may request only the realm's default (optional) scopes: the MCP scopes become those, and
        // offline_access stops being one (and being advertised) unless the spec says people may keep it.
        assertThat(plan.changes()).extracting(Change::type).containsExactly(ResourceType.CLIENT_SCOPE,
                ResourceType.CLIENT_SCOPE, ResourceType.CLIENT_SCOPE, ResourceType.SESSION_POLICY,
                ResourceType.CLIENT_POLICY);
        assertThat(plan.changes()).filteredOn(c -> c.type() == ResourceType.CLIENT_SCOPE)
                .allMatch(c -> ((Change.Update) c).fields().equals(List.of(new FieldChange("realmDefault", "", "optional"))));
        assertThat(plan.changes()).filteredOn(c -> c.type() == ResourceType.SESSION_POLICY).singleElement()
                .extracting(c -> ((Change.Create) c).fields()).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .contains(new FieldChange("offlineAccessOffered", "", "false"),
                        new FieldChange("offlineAccessInDiscovery", "", "false"));
        provisioner.apply(plan, SecretSink.discard(), ApplyListener.silent());
        assertThat(server.admin().get("/" + realm + "/client-policies/profiles").get("profiles").findValuesAsText("name"))
                .containsExactly("hand-made", ClientPolicyReconciler.NAME);
        assertThat(server.admin().get("/" + realm + "/client-policies/policies").get("policies").findValuesAsText("name"))
                .containsExactly("hand-made", ClientPolicyReconciler.NAME);
        assertThat(new SelfServiceEndpoints(server.baseUrl(), realm).discovery()
                .path("client_id_metadata_document_supported").asBoolean()).isTrue();
        long before = provisioner.writes();
        assertThat(apply(people(cimd)).changes()).isEmpty();
        assertThat(provisioner.writes() - before).isZero();

        provisioner.apply(provisioner.plan(people("")), SecretSink.discard(), ApplyListener.silent());

        assertThat(server.admin().get("/" + realm + "/client-policies/profiles").get("profiles").findValuesAsText("name"))
                .containsExactly("hand-made");
        assertThat(server.admin().get("/" + realm + "/client-policies/policies").get("policies").findValuesAsText("name"))
                .containsExactly("hand-made");
        // without metadata documents, Keycloak's default is back: offline_access offered and advertised
        assertThat(server.admin().get("/" + realm + "/default-optional-client-scopes").findValuesAsText("name"))
                .contains("offline_access");
        assertThat(new SelfServiceEndpoints(server.baseUrl(), realm).discovery().path("scopes_supported").toString())
                .contains("offline_access");
    }

    @Test
    void scenario13_whenDynamicRegistrationIsOnThenRegisteredClientsGetNoOfflineAccessUnlessTheSpecAsks() {
        apply(people(DYNAMIC));
        SelfServiceEndpoints endpoints = new SelfServiceEndpoints(server.baseUrl(), realm);
        String pkce = "code_challenge_method";

        SelfServiceEndpoints.Answer withoutScope = endpoints.register(Map.of("client_name", "no scope",
                "redirect_uris", List.of(CALLBACK), "token_endpoint_auth_method", "none"));
        SelfServiceEndpoints.Answer asking = endpoints.register(Map.of("client_name", "wants offline",
                "redirect_uris", List.of(CALLBACK), "token_endpoint_auth_method", "none", "scope", "mcp:read offline_access"));

        assertThat(withoutScope.status()).isEqualTo(201);
        String clientId = withoutScope.body().path("client_id").asText();
        assertThat(withoutScope.body().path("scope").asText().split(" ")).contains("mcp:read").doesNotContain("offline_access");
        assertThat(optionalScopes(clientId)).contains("mcp:read").doesNotContain("offline_access");
        assertThat(asking.status()).isEqualTo(403);
        assertThat(asking.body().path("error_description").asText()).contains("Allowed Client Scopes");
        Map<String, String> offline = authorizationRequest(clientId, "code_challenge", CHALLENGE, pkce, "S256");
        offline.put("scope", "mcp:read offline_access");
        assertThat(endpoints.authorize(offline).error()).isEqualTo("invalid_scope");

        TenantSpec allowed = people(DYNAMIC.replace("{}", "\n    offlineAccess: true"));
        Plan plan = provisioner.plan(allowed);

        assertThat(plan.changes()).containsExactly(new Change.Update(ResourceType.SESSION_POLICY,
                        PeopleSessionReconciler.NAME, List.of(new FieldChange("offlineAccessInDiscovery", "false", "true"))),
                new Change.Update(ResourceType.REGISTRATION_POLICY, RegistrationPolicyReconciler.NAME,
                        List.of(new FieldChange("offlineAccess", "false", "true"))));
        provisioner.apply(plan, SecretSink.discard(), ApplyListener.silent());
        SelfServiceEndpoints.Answer later = endpoints.register(Map.of("client_name", "no scope, later",
                "redirect_uris", List.of(CALLBACK), "token_endpoint_auth_method", "none"));
        String laterId = later.body().path("client_id").asText();
        assertThat(optionalScopes(laterId)).contains("offline_access");
        Map<String, String> laterOffline = authorizationRequest(laterId, "code_challenge", CHALLENGE, pkce, "S256");
        laterOffline.put("scope", "mcp:read offline_access");
        assertThat(endpoints.authorize(laterOffline).status()).isEqualTo(200);
        assertThat(endpoints.discovery().path("scopes_supported").toString()).contains("\"offline_access\"");
        assertThat(provisioner.plan(allowed).changes()).isEmpty();
    }

    private List<String> optionalScopes(String clientId) {
        List<String> names = new ArrayList<>();
        server.admin().get("/" + realm + "/clients?clientId=" + clientId).get(0).path("optionalClientScopes")
                .forEach(n -> names.add(n.asText()));
        return names;
    }
}
