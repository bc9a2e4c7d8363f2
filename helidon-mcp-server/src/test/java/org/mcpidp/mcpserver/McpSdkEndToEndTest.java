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
 * src/test/node/package-lock.json, installed by the build with {@code npm ci}) connects over Streamable HTTP in a
 * 2025-11-25 session, discovers the metadata from the 401, gets a token from Keycloak with its
 * ClientCredentialsProvider, lists and calls tools, and meets the 403 step-up challenge; an admin agent's delete asks
 * it to confirm with an {@code elicitation/create} request on the call's event stream when it declares elicitation.
 * The reader's transcript (no tokens, no secrets) is kept in target/ts-sdk-transcript.json, the admins' beside it.
 */
class McpSdkEndToEndTest {

    @RegisterExtension
    static final DemoServer demo = new DemoServer(Map.of());

    @Test
    void whenTheTypeScriptSdkConnectsAsAReaderThenItListsCallsAndMeetsTheStepUpChallenge() throws Exception {
        JsonNode result = runSdk("reader", "mcp:read", null);

        assertThat(result.path("error").isMissingNode()).as(result.path("error").asText()).isTrue();
        assertThat(result.path("connected").asBoolean()).isTrue();
        assertThat(result.path("protocolVersion").asText()).isEqualTo("2025-11-25");
        assertThat(names(result.path("tools"))).containsExactly("whoami", "list_products");
        assertThat(result.path("whoami").path("clientId").asText()).isEqualTo("reader");
        assertThat(result.path("whoami").path("issuer").asText()).isEqualTo(demo.realm.realm.issuer());
        assertThat(names(result.path("whoami").path("scopes"))).contains("mcp:read");
        assertThat(names(result.path("products"))).contains("Keyboard", "Mouse", "Monitor");
        assertThat(result.path("deleteError").asText()).contains("Server returned 403 after trying upscoping");
        assertThat(names(result.path("productsAfter"))).contains("p-1");

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

    @Test
    void whenTheAdminAcceptsTheConfirmationInTheSessionThenTheProductIsDeleted() throws Exception {
        JsonNode result = runSdk("admin", "mcp:read mcp:write mcp:admin", "accept");

        assertThat(result.path("error").isMissingNode()).as(result.path("error").asText()).isTrue();
        assertThat(result.path("protocolVersion").asText()).isEqualTo("2025-11-25");
        assertThat(names(result.path("tools"))).containsExactly("whoami", "list_products", "create_product",
                "delete_product");
        assertThat(result.path("whoami").path("clientId").asText()).isEqualTo("admin");
        String id = result.path("created").asText();
        assertThat(result.path("elicitations")).singleElement().satisfies(asked -> {
            assertThat(asked.path("message").asText()).isEqualTo("Delete product " + id + "?");
            assertThat(asked.path("requestedSchema").path("properties").path("confirm").path("type").asText())
                    .isEqualTo("boolean");
        });
        assertThat(result.path("delete").path("isError").asBoolean()).as(result.path("delete").toString()).isFalse();
        assertThat(names(result.path("productsAfter"))).doesNotContain(id);
        // the answer travelled as a JSON-RPC response POSTed into the same session, accepted with 202
        assertThat(answers(result.path("transcript"))).singleElement().satisfies(answer -> {
            assertThat(answer.path("session").asText()).isEqualTo("yes");
            assertThat(answer.path("status").asInt()).isEqualTo(202);
        });
    }

    @Test
    void whenTheAdminDeclinesTheConfirmationInTheSessionThenTheProductStays() throws Exception {
        JsonNode result = runSdk("admin", "mcp:read mcp:write mcp:admin", "decline");

        assertThat(result.path("error").isMissingNode()).as(result.path("error").asText()).isTrue();
        String id = result.path("created").asText();
        assertThat(result.path("elicitations")).hasSize(1);
        assertThat(result.path("delete").path("isError").asBoolean()).isTrue();
        assertThat(result.path("delete").path("text").asText()).startsWith("not deleted: the user did not confirm");
        assertThat(names(result.path("productsAfter"))).contains(id);
        assertThat(answers(result.path("transcript"))).hasSize(1);
    }

    @Test
    void whenTheAdminClientDeclaresNoElicitationThenTheDeleteHappensAtOnce() throws Exception {
        JsonNode result = runSdk("admin", "mcp:read mcp:write mcp:admin", null);

        assertThat(result.path("error").isMissingNode()).as(result.path("error").asText()).isTrue();
        assertThat(result.path("elicitations")).isEmpty();
        assertThat(result.path("delete").path("isError").asBoolean()).as(result.path("delete").toString()).isFalse();
        assertThat(names(result.path("productsAfter"))).doesNotContain(result.path("created").asText());
        assertThat(answers(result.path("transcript"))).isEmpty();
    }

    private JsonNode runSdk(String agent, String scope, String elicitation) throws IOException, InterruptedException {
        Path dir = Path.of(System.getProperty("node.e2e.dir", "target/node"));
        ProcessBuilder node = new ProcessBuilder("node", "e2e.mjs").directory(dir.toFile());
        // credentials in the environment only, never on the command line (visible in ps)
        node.environment().put("MCP_URL", demo.server.resource);
        node.environment().put("ISSUER", demo.realm.realm.issuer());
        node.environment().put("CLIENT_ID", agent);
        node.environment().put("CLIENT_SECRET", demo.realm.secret(agent));
        node.environment().put("SCOPE", scope);
        if (elicitation != null) {
            node.environment().put("ELICITATION", elicitation);
        }
        String label = agent.equals("reader") ? ""
                : "-" + agent + "-" + (elicitation == null ? "no-elicitation" : elicitation);
        Path stderr = Path.of("target", "ts-sdk-stderr" + label + ".txt");
        node.redirectError(stderr.toFile());
        Process process = node.start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String stdout = new String(out, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(stdout + Files.readString(stderr)).isZero();
        JsonNode result = McpHttp.JSON.readTree(stdout);
        Files.writeString(Path.of("target", "ts-sdk-transcript" + label + ".json"),
                McpHttp.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        assertThat(stdout).doesNotContain(demo.realm.secret(agent)).doesNotContain(demo.realm.serverSecret)
                .doesNotContain("eyJ");
        return result;
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(item -> names.add(item.asText()));
        return names;
    }

    /** The client's answers to server requests: JSON-RPC responses it POSTed. */
    private static List<JsonNode> answers(JsonNode transcript) {
        List<JsonNode> answers = new ArrayList<>();
        transcript.forEach(entry -> {
            if (entry.path("rpc").asText().equals("response")) {
                answers.add(entry);
            }
        });
        return answers;
    }

    private static List<String> requests(JsonNode transcript) {
        List<String> lines = new ArrayList<>();
        transcript.forEach(entry -> lines.add(entry.path("request").asText()));
        return lines;
    }
}
