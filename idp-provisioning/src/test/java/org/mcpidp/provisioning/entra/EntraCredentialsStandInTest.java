package org.mcpidp.provisioning.entra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mcpidp.provisioning.ProvisioningException;

/** The real msal4j 1.26.0 against the local HTTPS stand-in of the Entra token endpoint (not Microsoft). */
class EntraCredentialsStandInTest {

    private final EntraStandIns standIns = new EntraStandIns();

    @AfterEach
    void close() {
        standIns.close();
    }

    @Test
    void whenMsal4jAsksTheStandInThenItGetsAClientCredentialsTokenFromTheV2TokenEndpoint() {
        String token = standIns.credentials(standIns.connection()).accessToken();

        assertThat(standIns.login().issued(token)).isTrue();
        assertThat(standIns.login().requests()).containsExactly("POST /" + EntraStandIns.TENANT + "/oauth2/v2.0/token");
    }

    @Test
    void whenATokenIsCachedThenMsal4jDoesNotAskAgain() {
        assumeTrue(standIns.login().onDefaultPort(), "the token stand-in could not bind port 443; msal4j caches by "
                + "host without port, so with a port it asks for every token");
        EntraCredentials credentials = standIns.credentials(standIns.connection());

        String first = credentials.accessToken();
        String second = credentials.accessToken();

        assertThat(second).isEqualTo(first);
        assertThat(standIns.login().tokenRequests()).isEqualTo(1);
    }

    @Test
    void whenTheSecretIsWrongThenTheAadstsErrorIsShownAndNotTheSecret() {
        EntraConnection good = standIns.connection();
        EntraConnection wrong = new EntraConnection(good.tenantId(), good.clientId(), "not-the-secret",
                good.authorityHost(), good.graphBaseUrl());

        assertThatThrownBy(() -> standIns.credentials(wrong).accessToken())
                .isInstanceOf(ProvisioningException.class)
                .hasMessageContaining("invalid_client")
                .hasMessageContaining("AADSTS7000215")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("not-the-secret"));
    }

    @Test
    void whenAuthorityIsNotHttpsThenTheConnectionIsRefused() {
        assertThatThrownBy(() -> new EntraConnection(EntraStandIns.TENANT, "c", "s", URI.create("http://localhost:1"),
                URI.create("https://graph.microsoft.com/v1.0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ENTRA_AUTHORITY_HOST");
    }
}
