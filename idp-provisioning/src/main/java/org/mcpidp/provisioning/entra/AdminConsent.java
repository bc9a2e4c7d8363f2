package org.mcpidp.provisioning.entra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.ProvisioningException;

/**
 * Tenant-wide admin consent as Graph keeps it: one {@code oauth2PermissionGrant} with consentType {@value #ALL_PRINCIPALS}
 * from a client's service principal to a resource's, its scopes space-separated. What the kit compares of one, and how
 * it is created, updated and deleted; which client consents to which resource with which scopes is the reconcilers'.
 */
final class AdminConsent {

    static final String ALL_PRINCIPALS = "AllPrincipals";

    private AdminConsent() {
    }

    /** The managed fields of a grant listing {@code scopes}. */
    static Map<String, String> fields(String scope) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("scope", scope);
        fields.put("consentType", ALL_PRINCIPALS);
        return fields;
    }

    /** The managed fields of a live grant. */
    static Map<String, String> fields(JsonNode grant) {
        return fields(scope(Arrays.asList(grant.path("scope").asText("").trim().split("\\s+"))));
    }

    /** Graph's format: space-separated; sorted so that order never shows up as a change. */
    static String scope(List<String> scopes) {
        TreeSet<String> sorted = new TreeSet<>(scopes);
        sorted.remove("");
        return String.join(" ", sorted);
    }

    /** The admin consent among {@code grants} given by the client service principal {@code clientSpId}. */
    static Optional<JsonNode> find(List<JsonNode> grants, String clientSpId) {
        return grants.stream().filter(g -> g.path("clientId").asText().equals(clientSpId)
                && ALL_PRINCIPALS.equals(g.path("consentType").asText())).findFirst();
    }

    /** Creates, updates (its scopes) or deletes the consent of {@code clientSp} to {@code resourceSp}. */
    static void apply(Change change, GraphGateway graph, String what, String clientSp, String resourceSp, String scope) {
        if (change instanceof Change.Create) {
            ObjectNode body = GraphGateway.object();
            body.put("clientId", clientSp);
            body.put("consentType", ALL_PRINCIPALS);
            body.put("resourceId", resourceSp);
            body.put("scope", scope);
            graph.post(what, Graph.grants(graph), body);
            return;
        }
        JsonNode grant = find(graph.list(what, Graph.grantsTo(graph, resourceSp)), clientSp)
                .orElseThrow(() -> new ProvisioningException(what + ": grant not found"));
        String id = grant.path("id").asText();
        if (change instanceof Change.Delete) {
            graph.delete(what, Graph.grant(graph, id));
        } else {
            ObjectNode body = GraphGateway.object();
            body.put("scope", scope);
            graph.patch(what, Graph.grant(graph, id), body);
        }
    }
}
