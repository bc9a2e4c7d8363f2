package org.mcpidp.provisioning.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mcpidp.provisioning.DemoTenantFixture;

/** The {@code people} section: client profiles by name, session lifetimes, offline_access, checked before any IdP call. */
class PeopleSpecTest {

    private static final String TENANT = DemoTenantFixture.tenantHead("people") + """
                scopes:
                  - name: mcp:read
                    roles: [reader]
                roles:
                  - name: reader
                clients:
                  - clientId: agent
                    type: agent
                    scopes: [mcp:read]
                    roles: [reader]
            """;

    private final SpecLoader loader = new SpecLoader(Map.of());

    @TempDir
    Path dir;

    private Path write(String people) {
        try {
            return Files.writeString(dir.resolve("tenant.yaml"), TENANT + people.indent(4));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TenantSpec load(String people) throws Exception {
        return loader.load(write(people)).tenants().get(0);
    }

    private List<String> errors(String people) {
        try {
            loader.load(write(people));
        } catch (InvalidSpecException e) {
            return e.errors().stream().map(SpecError::toString).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("accepted: " + people);
    }

    @Test
    void whenPeopleNameTheirClientsThenTheProfilesAreBoundInSpecOrder() throws Exception {
        TenantSpec tenant = load("people:\n  clients: [vscode, claude-code, cursor, claude, chatgpt]\n");

        assertThat(tenant.people().orElseThrow().clients()).containsExactly(ClientProfile.VSCODE,
                ClientProfile.CLAUDE_CODE, ClientProfile.CURSOR, ClientProfile.CLAUDE, ClientProfile.CHATGPT);
        assertThat(tenant.people().orElseThrow().offlineAccess()).isFalse();
        assertThat(tenant.people().orElseThrow().sessionIdle()).isEmpty();
        // nothing here registers itself: dynamic registration stays off
        assertThat(tenant.registration().dynamic()).isEmpty();
    }

    @Test
    void whenThereIsNoPeopleSectionThenTheTenantHasNone() throws Exception {
        assertThat(load("").people()).isEmpty();
    }

    @Test
    void whenAClientNameIsUnknownThenTheErrorNamesFileLineFieldAndTheKnownNames() {
        assertThat(errors("people:\n  clients: [vscode, claude-dekstop]\n")).containsExactly(
                "tenant.yaml:17:25: tenants[0].people.clients[1]: unknown client 'claude-dekstop' (known: chatgpt, "
                        + "claude, claude-code, cursor, mcp-inspector, vscode)");
    }

    @Test
    void whenAClientIsListedTwiceThenItIsAnError() {
        assertThat(errors("people:\n  clients: [cursor, cursor]\n")).containsExactly(
                "tenant.yaml:17:25: tenants[0].people.clients[1]: client 'cursor' is listed twice");
    }

    @Test
    void whenAPreRegisteredProfileWouldTakeAClientIdInUseThenItIsAnError() {
        String taken = TENANT.replace("clientId: agent", "clientId: cursor");
        try {
            loader.load(Files.writeString(dir.resolve("tenant.yaml"), taken + "    people:\n      clients: [cursor]\n"));
            throw new AssertionError("accepted");
        } catch (InvalidSpecException e) {
            assertThat(e.errors()).extracting(SpecError::toString).containsExactly("tenant.yaml:17:17: "
                    + "tenants[0].people.clients[0]: cursor is pre-registered as client 'cursor', which this tenant already "
                    + "uses: rename that client or leave cursor out");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void whenSessionLifetimesAreGivenThenTheyAreBound() throws Exception {
        PeopleSpec people = load("people:\n  sessionIdle: 8h\n  sessionMax: 7d\n").people().orElseThrow();

        assertThat(people.sessionIdle()).contains(Duration.ofHours(8));
        assertThat(people.sessionMax()).contains(Duration.ofDays(7));
        assertThat(people.clients()).isEmpty();
    }

    @Test
    void whenASessionLifetimeIsOutOfRangeOrNotOneThenTheErrorSaysWhich() {
        assertThat(errors("people:\n  sessionIdle: 10s\n  sessionMax: forever\n")).containsExactly(
                "tenant.yaml:17:20: tenants[0].people.sessionIdle: '10s' is not a lifetime between 1m and 30d (e.g. 30m, 8h)",
                "tenant.yaml:18:19: tenants[0].people.sessionMax: 'forever' is not a lifetime between 1m and 365d (e.g. 10h, 7d)");
    }

    @Test
    void whenTheSessionMayIdleLongerThanItLastsThenItIsAnError() {
        assertThat(errors("people:\n  sessionIdle: 12h\n  sessionMax: 10h\n")).containsExactly(
                "tenant.yaml:17:20: tenants[0].people.sessionIdle: a sign-in cannot stay idle longer (12h) than it may "
                        + "last at all (sessionMax 10h)");
    }

    @Test
    void whenTokensOutliveTheSignInThenItIsAWarningNotAnError() throws Exception {
        SpecFile file = loader.load(Files.writeString(dir.resolve("tenant.yaml"), TENANT.replace("  - realm: people",
                "  - realm: people\n    accessTokenLifespan: 1h") + "    people:\n      sessionIdle: 30m\n"));

        assertThat(file.warnings()).extracting(SpecError::toString).containsExactly("tenant.yaml:18:20: tenants[0].people: "
                + "accessTokenLifespan 1h is longer than the sign-in (30m): a token stays valid after the person's session "
                + "has ended");
    }

    @Test
    void whenTheInspectorIsListedWithoutRegistrationThenLoopbackDynamicRegistrationIsTurnedOn() throws Exception {
        TenantSpec tenant = load("people:\n  clients: [mcp-inspector]\n");

        RegistrationSpec.Dynamic dynamic = tenant.registration().dynamic().orElseThrow();
        assertThat(dynamic.trustedHosts()).containsExactly("localhost", "127.0.0.1");
        assertThat(dynamic.offlineAccess()).isFalse();
        assertThat(tenant.registration().clientIdMetadataDocuments()).isEmpty();
    }

    @Test
    void whenTheInspectorsRedirectHostIsNotTrustedThenTheErrorSaysWhatToAdd() {
        assertThat(errors("registration:\n  dynamic:\n    trustedHosts: [127.0.0.1]\npeople:\n  clients: [mcp-inspector]\n"))
                .containsExactly("tenant.yaml:20:16: tenants[0].people.clients: mcp-inspector registers itself with "
                        + "redirect URIs on localhost: add it to registration.dynamic.trustedHosts");
    }

    @Test
    void whenPeopleAndDynamicRegistrationDisagreeOnOfflineAccessThenItIsAnError() {
        assertThat(errors("registration:\n  dynamic:\n    offlineAccess: false\npeople:\n  offlineAccess: true\n"))
                .containsExactly("tenant.yaml:20:22: tenants[0].people.offlineAccess: people.offlineAccess is true but "
                        + "tenants[0].registration.dynamic.offlineAccess is false: it is one decision, say it once "
                        + "(people.offlineAccess)");
    }

    @Test
    void whenOnlyDynamicRegistrationSaysOfflineAccessThenPeopleFollowIt() throws Exception {
        TenantSpec tenant = load("registration:\n  dynamic:\n    offlineAccess: true\npeople:\n  clients: [mcp-inspector]\n");

        assertThat(tenant.people().orElseThrow().offlineAccess()).isTrue();
        assertThat(tenant.registration().dynamic().orElseThrow().offlineAccess()).isTrue();
    }

    @Test
    void whenPeopleSayOfflineAccessThenRegistrationFollows() throws Exception {
        TenantSpec tenant = load("registration:\n  dynamic: {}\npeople:\n  offlineAccess: true\n");

        assertThat(tenant.registration().dynamic().orElseThrow().offlineAccess()).isTrue();
    }
}
