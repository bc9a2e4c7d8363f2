package org.mcpidp.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test Keycloak runs with the experimental Client ID Metadata Document feature and fetches such a document over
 * https from loopback when the server certificate comes from {@link KeycloakServer#loopbackTls()}, and only then:
 * the same fetch from a server whose certificate nobody vouches for fails. That is what lets the people end-to-end
 * test serve a CIMD on {@code https://127.0.0.1}.
 */
@ExtendWith(KeycloakExtension.class)
class LoopbackTlsTrustTest {

    private static final String REDIRECT = "http://localhost:6274/oauth/callback";

    @Test
    void whenTheTestKeycloakRunsThenItsMetadataSaysClientIdMetadataDocumentsAreSupported(KeycloakServer keycloak)
            throws Exception {
        assumeTrue(keycloak.loopbackTls().isPresent(), "an external or container Keycloak runs with its own features");
        Request request = new Request.Builder()
                .url(keycloak.baseUrl() + "/.well-known/oauth-authorization-server/realms/master").build();
        try (Response response = keycloak.admin().http().newCall(request).execute()) {
            assertThat(response.code()).isEqualTo(200);
            assertThat(KeycloakAdmin.JSON.readTree(response.body().string())
                    .path("client_id_metadata_document_supported").asBoolean()).isTrue();
        }
    }

    @Test
    void whenTheMetadataDocumentIsServedWithTheLoopbackCertificateThenKeycloakFetchesItAndShowsTheLogin(
            KeycloakServer keycloak) throws Exception {
        assumeTrue(keycloak.loopbackTls().isPresent(), "only a Keycloak this JVM started trusts the loopback authority");
        LoopbackTls tls = keycloak.loopbackTls().orElseThrow();
        assertThat(tls.serverKey()).isRegularFile();
        assertThat(Files.getPosixFilePermissions(tls.serverKey()))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

        try (TestRealm realm = TestRealm.create(keycloak); MockWebServer documents = httpsServer(tls.server())) {
            allowClientIdMetadataDocuments(realm);
            String clientId = documents.url("/clients/e2e.json").toString();
            documents.enqueue(metadataDocument(clientId));

            try (Response login = authorize(realm, clientId)) {
                RecordedRequest fetch = documents.takeRequest(10, TimeUnit.SECONDS);
                assertThat(fetch).as("Keycloak fetched the document").isNotNull();
                assertThat(fetch.getTarget()).isEqualTo("/clients/e2e.json");
                String page = login.body().string();
                assertThat(login.code()).as(page).isEqualTo(200);
                assertThat(page).contains("kc-form-login");
            }
        }
    }

    @Test
    void whenTheDocumentServerCertificateIsUntrustedThenKeycloakRefusesTheClient(KeycloakServer keycloak)
            throws Exception {
        assumeTrue(keycloak.loopbackTls().isPresent(), "only a Keycloak this JVM started trusts the loopback authority");
        HeldCertificate selfSigned = new HeldCertificate.Builder().commonName("127.0.0.1")
                .addSubjectAlternativeName("127.0.0.1").build();
        try (TestRealm realm = TestRealm.create(keycloak); MockWebServer documents = httpsServer(selfSigned)) {
            allowClientIdMetadataDocuments(realm);
            String clientId = documents.url("/clients/e2e.json").toString();
            documents.enqueue(metadataDocument(clientId));

            try (Response refused = authorize(realm, clientId)) {
                String page = refused.body().string();
                assertThat(refused.code()).isBetween(400, 499);
                assertThat(page).doesNotContain("kc-form-login");
                // the TLS handshake failed, so no request ever reached the document server
                assertThat(documents.getRequestCount()).isZero();
            }
        }
    }

    private static MockWebServer httpsServer(HeldCertificate certificate) throws Exception {
        MockWebServer server = new MockWebServer();
        server.useHttps(new HandshakeCertificates.Builder().heldCertificate(certificate).build().sslSocketFactory());
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        return server;
    }

    private static MockResponse metadataDocument(String clientId) throws Exception {
        String json = KeycloakAdmin.JSON.writeValueAsString(Map.of(
                "client_id", clientId,
                "client_name", "testkit CIMD probe",
                "redirect_uris", List.of(REDIRECT),
                "grant_types", List.of("authorization_code"),
                "response_types", List.of("code"),
                "token_endpoint_auth_method", "none"));
        return new MockResponse.Builder().addHeader("Content-Type", "application/json").body(json).build();
    }

    /** A client profile with the CIMD executor and a policy that sends https client ids from loopback to it. */
    private static void allowClientIdMetadataDocuments(TestRealm realm) {
        List<String> loopback = List.of("127.0.0.1", "localhost");
        KeycloakAdmin admin = realm.server().admin();
        admin.put(realm.path("client-policies/profiles"), Map.of("profiles", List.of(Map.of(
                "name", "cimd-loopback",
                "executors", List.of(Map.of("executor", "client-id-metadata-document",
                        "configuration", Map.of("cimd-allow-permitted-domains", loopback)))))));
        admin.put(realm.path("client-policies/policies"), Map.of("policies", List.of(Map.of(
                "name", "cimd-loopback",
                "enabled", true,
                "conditions", List.of(Map.of("condition", "client-id-uri",
                        "configuration", Map.of("client-id-uri-scheme", List.of("https"),
                                "client-id-uri-allow-permitted-domains", loopback))),
                "profiles", List.of("cimd-loopback")))));
    }

    private static Response authorize(TestRealm realm, String clientId) throws Exception {
        HttpUrl url = HttpUrl.get(realm.issuer() + "/protocol/openid-connect/auth").newBuilder()
                .addQueryParameter("client_id", clientId)
                .addQueryParameter("redirect_uri", REDIRECT)
                .addQueryParameter("response_type", "code")
                .addQueryParameter("scope", "openid")
                .addQueryParameter("state", "testkit")
                .addQueryParameter("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
                .addQueryParameter("code_challenge_method", "S256")
                .build();
        return realm.server().admin().http().newBuilder().followRedirects(false).build()
                .newCall(new Request.Builder().url(url).build()).execute();
    }
}
