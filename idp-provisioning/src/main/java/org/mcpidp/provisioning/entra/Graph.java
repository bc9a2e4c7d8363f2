package org.mcpidp.provisioning.entra;

import okhttp3.HttpUrl;

/** The Graph v1.0 resources this provisioner uses, in one place (each documented in the Graph reference). */
final class Graph {

    private Graph() {
    }

    /** {@code applications(uniqueName='x')}: read, and upsert with {@code Prefer: create-if-missing}. */
    static HttpUrl application(GraphGateway graph, String uniqueName) {
        return graph.url("applications(uniqueName=" + GraphGateway.literal(uniqueName) + ")");
    }

    static HttpUrl applicationById(GraphGateway graph, String objectId) {
        return graph.url("applications/" + objectId);
    }

    static HttpUrl addPassword(GraphGateway graph, String objectId) {
        return graph.url("applications/" + objectId + "/addPassword");
    }

    static HttpUrl ownedApplications(GraphGateway graph, String realm) {
        return graph.url("applications", EntraOwnership.filter(realm))
                .newBuilder().addQueryParameter("$select", "id,appId,displayName,uniqueName,tags").build();
    }

    static HttpUrl servicePrincipals(GraphGateway graph) {
        return graph.url("servicePrincipals");
    }

    /** {@code servicePrincipals(appId='...')}: the alternate key. */
    static HttpUrl servicePrincipal(GraphGateway graph, String appId) {
        return graph.url("servicePrincipals(appId=" + GraphGateway.literal(appId) + ")");
    }

    static HttpUrl assignedTo(GraphGateway graph, String resourceSpId) {
        return graph.url("servicePrincipals/" + resourceSpId + "/appRoleAssignedTo");
    }

    static HttpUrl assignment(GraphGateway graph, String resourceSpId, String assignmentId) {
        return graph.url("servicePrincipals/" + resourceSpId + "/appRoleAssignedTo/" + assignmentId);
    }

    static HttpUrl grants(GraphGateway graph) {
        return graph.url("oauth2PermissionGrants");
    }

    static HttpUrl grantsTo(GraphGateway graph, String resourceSpId) {
        return graph.url("oauth2PermissionGrants", "resourceId eq " + GraphGateway.literal(resourceSpId));
    }

    static HttpUrl grant(GraphGateway graph, String grantId) {
        return graph.url("oauth2PermissionGrants/" + grantId);
    }
}
