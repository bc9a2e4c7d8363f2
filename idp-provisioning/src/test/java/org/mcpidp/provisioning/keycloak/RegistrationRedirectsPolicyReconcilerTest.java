package org.mcpidp.provisioning.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mcpidp.provisioning.DemoTenantFixture;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * The host patterns Keycloak's {@code secure-redirect-uris-enforcer} matches a self-registering client's http(s)
 * redirect hosts against (whole-host {@code matches()}, as the executor does). The same rules against a real
 * Keycloak: KeycloakProvisionerScenarioTest scenario 14.
 */
class RegistrationRedirectsPolicyReconcilerTest {

    @TempDir
    Path dir;

    private List<Pattern> permitted(String registration) {
        TenantSpec spec = DemoTenantFixture.tenant(dir, TenantFixture.people("realm-" + System.nanoTime(), registration),
                TenantFixture.PASSWORDS);
        return RegistrationRedirectsPolicyReconciler.permittedDomains(spec).stream().map(Pattern::compile).toList();
    }

    private static boolean allowed(List<Pattern> patterns, String host) {
        return patterns.stream().anyMatch(p -> p.matcher(host).matches());
    }

    @Test
    void whenHomePageHostsAreListedThenTheyAreNoRedirectTargetUnlessAlsoTrusted() {
        List<Pattern> patterns = permitted("""
                registration:
                  dynamic:
                    trustedHosts: [localhost, 127.0.0.1, vscode.dev]
                    homePageHosts: [github.com]
                """);

        assertThat(List.of("localhost", "127.0.0.1", "vscode.dev", "VSCODE.dev")).allMatch(h -> allowed(patterns, h));
        assertThat(List.of("github.com", "vscodexdev", "vscode.dev.attacker.example", "attacker.vscode.dev", "x"))
                .noneMatch(h -> allowed(patterns, h));
    }

    @Test
    void whenMetadataDocumentDomainsAreAllowedThenTheirClientsMayRedirectThereToo() {
        List<Pattern> patterns = permitted("""
                registration:
                  dynamic:
                    homePageHosts: [github.com]
                  clientIdMetadataDocuments:
                    allowedDomains: [localhost, "*.example.org"]
                """);

        assertThat(List.of("localhost", "127.0.0.1", "example.org", "app.example.org", "a.b.example.org"))
                .allMatch(h -> allowed(patterns, h));
        assertThat(List.of("github.com", "example.org.attacker.example", "badexample.org"))
                .noneMatch(h -> allowed(patterns, h));
    }

    @Test
    void whenPeopleRunTheInspectorAndVsCodeThenGithubIsAHomePageHostAndVsCodeMayStillRedirectToItsOwnHosts() {
        String people = """
                registration:
                  dynamic: {}
                  clientIdMetadataDocuments:
                    allowedDomains: [localhost, 127.0.0.1]
                people:
                  clients: [vscode, mcp-inspector]
                """;
        TenantSpec spec = DemoTenantFixture.tenant(dir, TenantFixture.people("realm-people", people), TenantFixture.PASSWORDS);
        List<Pattern> patterns = permitted(people);

        assertThat(spec.registration().dynamic().orElseThrow().homePageHosts()).containsExactly("github.com");
        assertThat(RegistrationPolicyReconciler.listedHosts(spec.registration().dynamic().orElseThrow()))
                .containsExactly("localhost", "127.0.0.1", "github.com");
        // VS Code's published document redirects to vscode.dev; Keycloak runs this policy for metadata-document clients.
        assertThat(List.of("localhost", "127.0.0.1", "vscode.dev", "insiders.vscode.dev")).allMatch(h -> allowed(patterns, h));
        assertThat(List.of("github.com", "claude.ai", "attacker.example")).noneMatch(h -> allowed(patterns, h));
    }

    @Test
    void whenNoHomePageHostIsListedThenTrustedHostsAloneDecideAndThereIsNoPolicy() {
        TenantSpec spec = DemoTenantFixture.tenant(dir, TenantFixture.people("realm-plain", """
                registration:
                  dynamic: {}
                """), TenantFixture.PASSWORDS);

        assertThat(new RegistrationRedirectsPolicyReconciler().wanted(spec)).isEmpty();
    }
}
