package org.mcpidp.mcpserver.people;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What each person saw in the MCP Inspector, for people to read: one block per era and person, from the page texts
 * inspector-web.mjs recorded (which hold no token, code, secret or password: see that script).
 */
final class InspectorTranscript {

    private static final ObjectMapper JSON = new ObjectMapper();

    private InspectorTranscript() {
    }

    static String render(Map<String, JsonNode> runs, Map<String, String> eras) {
        StringBuilder text = new StringBuilder("# MCP Inspector 2.12.0 web UI, driven like a person by headless ")
                .append(runs.values().stream().map(r -> r.path("browser").asText()).findFirst().orElse("Chromium"))
                .append(", against the demo server and Keycloak 26.7.3\n");
        runs.forEach((key, run) -> {
            String era = run.path("era").asText();
            text.append("\n## ").append(era).append(" (").append(eras.get(era)).append(") / ").append(run.path("person").asText())
                    .append('\n');
            JsonNode authorization = run.path("authorizationRequest");
            line(text, "server card before", oneLine(run.path("before")));
            line(text, "switched on -> Keycloak", authorization.path("path").asText() + "  client_id="
                    + authorization.path("client_id").asText() + "  scope='" + authorization.path("scope").asText()
                    + "'  PKCE " + authorization.path("code_challenge_method").asText());
            line(text, "login page", run.path("loginPage").path("heading").asText());
            line(text, "consent page", oneLine(run.path("consentPage")));
            line(text, "server card after", oneLine(run.path("after")));
            List<String> requests = new ArrayList<>();
            run.path("network").forEach(entry -> requests.add(entry.path("method").asText() + " "
                    + entry.path("url").asText() + " -> " + entry.path("status").asText()));
            line(text, "Network panel (oldest first)", requests.isEmpty() ? "" : "\n      " + String.join("\n      ", requests));
            line(text, run.path("toolsHeading").asText(), String.join(", ", texts(run.path("tools"))));
            line(text, "whoami", summary(run.path("whoami").asText()));
            JsonNode delete = run.path("delete");
            line(text, "delete_product (" + delete.path("via").asText() + ")", delete.has("shown")
                    ? oneLine(delete.path("shown"))
                    : "confirmation: " + oneLine(delete.path("confirmation")) + "  result: " + oneLine(delete.path("result")));
            line(text, "products after", productIds(run.path("productsAfter").asText()));
            line(text, "screenshots", String.join(", ", shortened(run, "signedInScreenshot", "whoamiScreenshot",
                    "deleteScreenshot")));
            if (run.has("error")) {
                line(text, "STOPPED", run.path("error").asText() + " (" + run.path("failedAt").asText() + ")");
            }
        });
        return text.toString();
    }

    /** Screenshot paths from the module's target/ on (the script gets an absolute directory). */
    private static List<String> shortened(JsonNode run, String... fields) {
        List<String> paths = new ArrayList<>();
        for (String field : fields) {
            String path = run.path(field).asText();
            int target = path.lastIndexOf("/target/");
            paths.add(target < 0 ? path : path.substring(target + 1));
        }
        return paths;
    }

    private static void line(StringBuilder text, String label, String value) {
        text.append("  ").append(label).append(": ").append(value).append('\n');
    }

    private static String oneLine(JsonNode node) {
        return node.asText().replace('\n', ' ').replaceAll("\\s+", " ").trim();
    }

    /** whoami's answer, as the page showed it: who, which client, which scopes. */
    private static String summary(String whoami) {
        try {
            JsonNode node = JSON.readTree(whoami);
            return "username=" + node.path("username").asText() + "  clientId=" + node.path("clientId").asText()
                    + "  scopes=" + texts(node.path("scopes"));
        } catch (Exception notJson) {
            return whoami.replace('\n', ' ');
        }
    }

    private static String productIds(String products) {
        try {
            List<String> ids = new ArrayList<>();
            JSON.readTree(products).forEach(p -> ids.add(p.path("id").asText() + " " + p.path("name").asText()));
            return String.join(", ", ids);
        } catch (Exception notJson) {
            return products.replace('\n', ' ');
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(item -> values.add(item.asText()));
        return values;
    }
}
