package org.mcpidp.mcpserver;

import org.mcpidp.testkit.McpHttp;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real MCP client no one here wrote: the official TypeScript SDK ({@code @modelcontextprotocol/sdk}, pinned by
 * src/test/node/package-lock.json, installed by the build with {@code npm ci}) connects over Streamable HTTP,
 * discovers the metadata from the 401, gets a token from Keycloak with its ClientCredentialsProvider, lists and calls
 * tools, and meets the 403 step-up challenge. The transcript (no tokens, no secrets) is kept in
 * target/ts-sdk-transcript.json.
 */
class McpSdkEndToEndTest {

    @RegisterExtension
    static final DemoServer demo = new DemoServer(Map.of());

    @Test
    void whenTheTypeScriptSdkConnectsAsAReaderThenItListsCallsAndMeetsTheStepUpChallenge() throws Exception {
        JsonNode result = runSdk("reader", "mcp:read");

        assertThat(result.path("error").isMissingNode()).as(result.path("error").asText()).isTrue();
        assertThat(result.path("connected").asBoolean()).isTrue();
        assertThat(names(result.path("tools"))).containsExactly("whoami", "list_products");
        assertThat(result.path("whoami").path("clientId").asText()).isEqualTo("reader");
        assertThat(result.path("whoami").path("issuer").asText()).isEqualTo(demo.realm.realm.issuer());
        assertThat(names(result.path("whoami").path("scopes"))).contains("mcp:read");
        assertThat(names(result.path("products"))).contains("Keyboard", "Mouse", "Monitor");
        assertThat(result.path("deleteError").asText()).contains("Server returned 403 after trying upscoping");

        JsonNode transcript = result.path("transcript");
        JsonNode first = transcript.get(0);
        assertThat(first.path("status").asInt()).isEqualTo(401);
        assertThat(first.path("wwwAuthenticate").asText())
                .isEqualTo("Bearer scope=\"mcp:read mcp:write mcp:admin\", resource_metadata=\"" + demo.server.prmUrl() + "\"");
        assertThat(requests(transcript)).anyMatch(line -> line.equals("GET " + demo.server.prmUrl()));
        assertThat(transcript.toString()).contains("\"grant_type\":\"client_credentials\"");
        List<JsonNode> forbidden = new ArrayList<>();
        transcript.forEach(entry -> {
            if (entry.path("status").asInt() == 403) {
                forbidden.add(entry);
            }
        });
        assertThat(forbidden).isNotEmpty().allSatisfy(entry -> {
            assertThat(entry.path("tool").asText()).isEqualTo("delete_product");
            assertThat(entry.path("wwwAuthenticate").asText())
                    .startsWith("Bearer error=\"insufficient_scope\"")
                    .contains("scope=\"mcp:admin\"")
                    .endsWith("resource_metadata=\"" + demo.server.prmUrl() + "\"");
        });
        String text = transcript.toString();
        assertThat(text).doesNotContain(demo.realm.secret("reader")).doesNotContain(demo.realm.serverSecret).doesNotContain("eyJ");
    }

    private JsonNode runSdk(String agent, String scope) throws IOException, InterruptedException {
        Path dir = Path.of(System.getProperty("node.e2e.dir", "target/node"));
        ProcessBuilder node = new ProcessBuilder("node", "e2e.mjs").directory(dir.toFile());
        // credentials in the environment only, never on the command line (visible in ps)
        node.environment().put("MCP_URL", demo.server.resource);
        node.environment().put("ISSUER", demo.realm.realm.issuer());
        node.environment().put("CLIENT_ID", agent);
        node.environment().put("CLIENT_SECRET", demo.realm.secret(agent));
        node.environment().put("SCOPE", scope);
        Path stderr = Path.of("target", "ts-sdk-stderr.txt");
        node.redirectError(stderr.toFile());
        Process process = node.start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String stdout = new String(out, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(stdout + Files.readString(stderr)).isZero();
        JsonNode result = McpHttp.JSON.readTree(stdout);
        Files.writeString(Path.of("target", "ts-sdk-transcript.json"),
                McpHttp.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        return result;
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(item -> names.add(item.asText()));
        return names;
    }

    private static List<String> requests(JsonNode transcript) {
        List<String> lines = new ArrayList<>();
        transcript.forEach(entry -> lines.add(entry.path("request").asText()));
        return lines;
    }
}
