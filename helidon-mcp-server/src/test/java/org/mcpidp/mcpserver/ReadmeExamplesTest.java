package org.mcpidp.mcpserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.mcp.ReadmeExamples;
import com.sun.net.httpserver.HttpServer;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mcpidp.testkit.FreePort;

/**
 * The examples of README.md, docs/*.md and the library modules' READMEs are these files,
 * compiled by this build ({@code com.example.mcp} under src/test/java, the YAML under src/test/readme; the starter's
 * tools, which examples/starter/ci.sh builds and calls): each block after
 * {@code <!-- example: <path> -->} must equal its file, and the examples must do what the text says. No IdP is
 * needed: requests without a valid token are refused before any IdP call.
 */
class ReadmeExamplesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String EXAMPLES = "helidon-mcp-server/src/test/java/com/example/mcp/";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Every example block of the documents: "document: path" -> the block (a file may be shown in several). */
    private static Map<String, String> readmeExamples() throws IOException {
        Map<String, String> examples = new LinkedHashMap<>();
        for (Path doc : documents()) {
            Matcher block = Pattern.compile("<!-- example: (\\S+) -->\\n```[a-z]*\\n(.*?)```", Pattern.DOTALL)
                    .matcher(Files.readString(doc));
            while (block.find()) {
                examples.put(ROOT.relativize(doc) + ": " + block.group(1), block.group(2));
            }
        }
        return examples;
    }

    /** README.md, docs/*.md and each module's README.md: where the examples are shown. */
    private static List<Path> documents() throws IOException {
        List<Path> documents = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        try (Stream<Path> modules = Files.list(ROOT)) {
            modules.map(module -> module.resolve("README.md")).filter(Files::isRegularFile).sorted()
                    .forEach(documents::add);
        }
        return documents;
    }

    @Test
    void whenTheReadmeShowsAnExampleThenItIsTheCompiledFileVerbatim() throws IOException {
        Map<String, String> examples = readmeExamples();

        assertThat(examples.keySet()).contains("README.md: " + EXAMPLES + "OrdersServer.java",
                "README.md: helidon-mcp-server/src/test/readme/application.yaml",
                "docs/your-server.md: " + EXAMPLES + "ExtensionOrdersServer.java",
                "docs/your-server.md: " + EXAMPLES + "OrderStatusTool.java",
                "docs/your-server.md: " + EXAMPLES + "BearerFilter.java",
                "docs/your-server.md: " + EXAMPLES + "PlainJavaServer.java",
                "docs/your-server.md: examples/starter/src/main/java/com/example/notes/ListNotesTool.java",
                "helidon-mcp-auth/README.md: " + EXAMPLES + "OrdersServer.java",
                "introspection-verifier/README.md: " + EXAMPLES + "VerifyToken.java",
                "downstream-token/README.md: " + EXAMPLES + "OrderHistoryTool.java",
                "idp-provisioning/README.md: " + EXAMPLES + "ProvisionTenant.java");
        for (Map.Entry<String, String> example : examples.entrySet()) {
            String path = example.getKey().substring(example.getKey().indexOf(": ") + 2);
            assertThat(example.getValue()).as(example.getKey()).isEqualTo(Files.readString(ROOT.resolve(path)));
        }
    }

    @Test
    void whenTheSdkExampleRunsWithItsConfigurationThenItChallengesAndPublishesItsMetadata() throws Exception {
        challengesAndPublishesMetadata(ReadmeExamples::ordersServer);
    }

    @Test
    void whenTheExtensionExampleRunsWithItsConfigurationThenItChallengesAndPublishesItsMetadata() throws Exception {
        challengesAndPublishesMetadata(ReadmeExamples::extensionOrdersServer);
    }

    private static void challengesAndPublishesMetadata(Function<Config, WebServerConfig.Builder> example)
            throws Exception {
        int port = FreePort.find();
        Config config = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(Map.of("server.port", Integer.toString(port),
                                "mcp.auth.issuers.0.client-secret", "from-the-environment")),
                        ConfigSources.file(ROOT.resolve("helidon-mcp-server/src/test/readme/application.yaml")))
                .build();
        WebServer server = example.apply(config).build().start();
        try {
            HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + "/mcp")).POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.headers().firstValue("WWW-Authenticate").orElse(""))
                    .contains("resource_metadata=\"http://127.0.0.1:" + port + "/.well-known/oauth-protected-resource/mcp\"")
                    .contains("orders:read");
            HttpResponse<String> metadata = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/.well-known/oauth-protected-resource/mcp")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metadata.body()).contains("\"authorization_servers\":[\"https://keycloak.example.com/realms/orders\"]")
                    .contains("\"resource_name\":\"Orders\"");
        } finally {
            server.stop();
        }
    }

    @Test
    void whenTheVerifierExampleCannotReachItsIssuerThenItAnswers503NeverValid() {
        String issuer = "http://127.0.0.1:" + FreePort.find() + "/realms/x";

        assertThat(ReadmeExamples.verifyToken(issuer, "an-opaque-token")).startsWith("503, retry after");
    }

    @Test
    void whenTheDownstreamExampleIsBuiltThenItIsAToolNeedingNoNetworkUntilCalled() {
        assertThat(ReadmeExamples.orderHistoryToolName("http://127.0.0.1:1/realms/x")).isEqualTo("order_history");
    }

    @Test
    void whenThePlainJavaExampleGetsNoTokenThen401AndWhenItsIdpIsDownThen503() throws Exception {
        int port = FreePort.find();
        HttpServer server = ReadmeExamples.plainJavaServer(port, "http://127.0.0.1:" + FreePort.find() + "/realms/x");
        server.start();
        try {
            URI api = URI.create("http://127.0.0.1:" + port + "/api");
            HttpResponse<String> none = HTTP.send(HttpRequest.newBuilder(api).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"api\"");
            HttpResponse<String> bad = HTTP.send(HttpRequest.newBuilder(api).header("Authorization", "Bearer not-a-jwt")
                    .build(), HttpResponse.BodyHandlers.ofString());
            // the issuer here is unreachable: its keys cannot be loaded, so the answer is "try later", never "valid"
            assertThat(bad.statusCode()).isEqualTo(503);
            assertThat(bad.headers().firstValue("Retry-After")).isPresent();
        } finally {
            server.stop(0);
        }
    }
}
