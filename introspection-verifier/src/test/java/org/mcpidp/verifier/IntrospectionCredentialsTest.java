package org.mcpidp.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpidp.verifier.Failures.failureOf;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mcpidp.testkit.KeycloakExtension;
import org.mcpidp.testkit.KeycloakServer;
import org.mcpidp.testkit.TestRealm;

/**
 * The resource server's own introspection credentials refused by a real Keycloak 26.7.3 (it answers 401
 * {@code invalid_client} to a wrong secret): a configuration failure, so callers get 503 (never 401 for a token that
 * may be fine), the verifier is not ready, one log line per episode names client id, issuer and status and never the
 * secret, and everything recovers once Keycloak accepts the credentials again.
 */
@ExtendWith(KeycloakExtension.class)
class IntrospectionCredentialsTest {

    private static final String RESOURCE = "http://127.0.0.1:8080/mcp";
    private static final String SERVER_CLIENT = "mcp-server";

    private TestRealm realm;
    private String agentSecret;
    private final List<String> logged = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (logged) {
                logged.add(record.getLevel() + " " + new SimpleFormatter().formatMessage(record));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void realm(KeycloakServer keycloak) {
        realm = TestRealm.create(keycloak);
        realm.clientScope("mcp:read", RESOURCE, SERVER_CLIENT);
        realm.resourceServerClient(SERVER_CLIENT);
        agentSecret = realm.agentClient("agent", "mcp:read");
        capture.setLevel(Level.ALL);
        Logger.getLogger("org.mcpidp.verifier").addHandler(capture);
    }

    @AfterEach
    void close() {
        Logger.getLogger("org.mcpidp.verifier").removeHandler(capture);
        realm.close();
    }

    private List<String> lines(String containing) {
        synchronized (logged) {
            return logged.stream().filter(line -> line.contains(containing)).toList();
        }
    }

    private static boolean readyWithin(TokenVerifier verifier, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!verifier.ready()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    @Test
    void whenKeycloakRefusesTheServersSecretThenCallersGet503TheVerifierIsNotReadyAndOneLineSaysWhy()
            throws Exception {
        String wrongSecret = "wrong-" + UUID.randomUUID();
        TokenVerifier verifier = TokenVerifier.builder()
                .policy(AccessPolicy.builder().audiences(RESOURCE, SERVER_CLIENT).build())
                .issuer(TrustedIssuer.introspection(realm.issuer(), SERVER_CLIENT, wrongSecret).build())
                .cache(CacheSettings.disabled())
                .build();
        assertThat(verifier.ready()).as("metadata loads without credentials").isTrue();
        String token = realm.clientCredentials("agent", agentSecret, "mcp:read").accessToken();

        for (int i = 0; i < 4; i++) {
            VerificationFailure failure = failureOf(verifier, token);
            assertThat(failure).isInstanceOf(VerificationFailure.Unavailable.class);
            assertThat(failure.description()).contains("refused this server's own credentials")
                    .doesNotContain(wrongSecret);
        }
        assertThat(verifier.ready()).isFalse();
        Thread.sleep(ClientStanding.RETRY.toMillis() + 200);
        assertThat(failureOf(verifier, token)).as("asked again after the pause: still refused")
                .isInstanceOf(VerificationFailure.Unavailable.class);

        List<String> refusals = lines("refused this resource server's client credentials");
        assertThat(refusals).as("one line for the episode").hasSize(1);
        assertThat(refusals.getFirst()).startsWith("SEVERE").contains("client id " + SERVER_CLIENT, realm.issuer(),
                "HTTP 401");
        assertThat(String.join("\n", logged)).doesNotContain(wrongSecret).doesNotContain(token);

        // The admin fixes it (here: Keycloak is given the secret the server has): ready again, tokens pass.
        realm.setClientSecret(SERVER_CLIENT, wrongSecret);
        assertThat(readyWithin(verifier, Duration.ofSeconds(6))).as("ready once the credentials work").isTrue();
        assertThat(verifier.verify(token).clientId()).contains("agent");
        assertThat(lines("accepts this resource server's client credentials again")).hasSize(1);

        // A new episode (the secret rotated again) gets its own single line.
        realm.setClientSecret(SERVER_CLIENT, "rotated-" + UUID.randomUUID());
        assertThat(failureOf(verifier, token)).isInstanceOf(VerificationFailure.Unavailable.class);
        assertThat(failureOf(verifier, token)).isInstanceOf(VerificationFailure.Unavailable.class);
        assertThat(lines("refused this resource server's client credentials")).hasSize(2);
        assertThat(verifier.ready()).isFalse();
    }
}
