package org.mcpidp.provisioning.entra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocketFactory;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;

/**
 * A local STAND-IN for Microsoft Graph v1.0, not Microsoft: an HTTPS MockWebServer with a small in-memory directory
 * that implements only the calls the Entra provisioner makes, with the JSON shapes and error bodies
 * ({@code {"error":{"code","message","innerError"}}}) of Graph's documentation, including the rules that matter for
 * correctness: upsert by {@code uniqueName} with {@code Prefer: create-if-missing} (201 vs 204), complex properties such
 * as {@code api} replaced whole by PATCH, {@code CannotDeleteOrUpdateEnabledEntitlement} when an enabled scope or app
 * role is changed or removed, {@code addPassword} returning the secret once, and deleting an application deleting its
 * service principal, grants and assignments. Collections are paged ({@link #pageSize}) with {@code @odata.nextLink}.
 *
 * <p>Application ID URIs follow Microsoft's "Restrictions on identifier URIs of Microsoft Entra applications"
 * (learn.microsoft.com/entra/identity-platform/identifier-uri-restrictions): {@code api://} forms tied to the app id,
 * tenant id or a verified domain, and https only on a verified domain ({@link #verifiedDomains}) or a subdomain of
 * one; anything else is 400 {@code HostNameNotOnVerifiedDomain}. Pre-authorized applications may list only delegated
 * permission ids already stored on the app, not ones defined in the same request (400 {@code InvalidValue}, as
 * reported against Graph in microsoftgraph/microsoft-graph-docs#12675 and #20177).
 *
 * <p>Every request must carry a bearer token issued by the token stand-in. Faults can be injected: replication-delay
 * 404s, 429 with {@code Retry-After}, 503.
 */
public final class GraphStandIn implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern UNIQUE_NAME = Pattern.compile("applications\\(uniqueName='(.*)'\\)");
    private static final Pattern SP_BY_APP_ID = Pattern.compile("servicePrincipals\\(appId='(.*)'\\)");
    private static final Pattern TAG_FILTER = Pattern.compile("tags/any\\(t:t eq '(.*)'\\)");
    private static final Pattern RESOURCE_FILTER = Pattern.compile("resourceId eq '(.*)'");

    private final MockWebServer server = new MockWebServer();
    private final Predicate<String> tokens;
    final Map<String, ObjectNode> applications = new LinkedHashMap<>();
    final Map<String, ObjectNode> servicePrincipals = new LinkedHashMap<>();
    final Map<String, ObjectNode> grants = new LinkedHashMap<>();
    final Map<String, ObjectNode> assignments = new LinkedHashMap<>();
    private final List<Fault> faults = new ArrayList<>();
    private final List<String> requests = new ArrayList<>();
    private final List<String> writeBodies = new ArrayList<>();
    private final List<String> bearerTokens = new ArrayList<>();
    volatile int pageSize = 2;
    /** The tenant's verified domains: its initial {@code onmicrosoft.com} domain and one custom domain. */
    final List<String> verifiedDomains = List.of("mcpidpstandin.onmicrosoft.com", "example.test");

    /** One injected answer for the next {@code times} requests matching method and path (a regex over the decoded path after /v1.0/). */
    private record Fault(String method, Pattern path, int status, String code, String retryAfter, int[] times) {
    }

    GraphStandIn(SSLSocketFactory tls, Predicate<String> tokens) throws IOException {
        this.tokens = tokens;
        server.useHttps(tls);
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                synchronized (GraphStandIn.this) {
                    return answer(request);
                }
            }
        });
        server.start(InetAddress.getByName("localhost"), 0);
    }

    /** {@code https://localhost:<port>/v1.0}: what GRAPH_BASE_URL points at. */
    String baseUrl() {
        return server.url("/v1.0").toString();
    }

    synchronized void fail(String method, String pathRegex, int status, String retryAfter, int times) {
        String code = switch (status) {
            case 404 -> "Request_ResourceNotFound";
            case 403 -> "Authorization_RequestDenied";
            case 409 -> "Request_MultipleObjectsWithSameKeyValue";
            case 429 -> "TooManyRequests";
            case 503 -> "serviceNotAvailable";
            default -> "Request_BadRequest";
        };
        faults.add(new Fault(method, Pattern.compile(pathRegex), status, code, retryAfter, new int[]{times}));
    }

    public synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    /** "METHOD path body" of every write that reached the directory (not faulted), in order. */
    public synchronized List<String> writes() {
        return List.copyOf(writeBodies);
    }

    synchronized List<String> bearerTokens() {
        return List.copyOf(bearerTokens);
    }

    public synchronized Optional<ObjectNode> application(String uniqueName) {
        return applications.values().stream().filter(a -> uniqueName.equals(a.path("uniqueName").asText())).findFirst();
    }

    synchronized Optional<ObjectNode> servicePrincipalOf(String appId) {
        return servicePrincipals.values().stream().filter(s -> appId.equals(s.path("appId").asText())).findFirst();
    }

    /**
     * An app registration someone else made under the unique name the provisioner gives one of the spec's apps,
     * without its ownership tag (by hand, another tool): the provisioner may take it over only when told to adopt it.
     */
    public synchronized ObjectNode seedApplicationWithoutTag(String uniqueName, String displayName) {
        ObjectNode app = newApplication(uniqueName);
        app.put("displayName", displayName);
        app.putArray("tags");
        return app;
    }

    /** An app registration made by someone else (no ownership tag): the provisioner must never touch it. */
    synchronized ObjectNode seedForeignApplication(String displayName, String... tags) {
        ObjectNode app = newApplication(null);
        app.put("displayName", displayName);
        ArrayNode tagArray = app.putArray("tags");
        for (String tag : tags) {
            tagArray.add(tag);
        }
        return app;
    }

    // ---- dispatch ----

    private MockResponse answer(RecordedRequest request) {
        HttpUrl url = request.getUrl();
        List<String> segments = url.pathSegments();
        String method = request.getMethod();
        String path = String.join("/", segments.subList(1, segments.size()));
        requests.add(method + " " + path);
        String authorization = request.getHeaders().get("Authorization");
        String token = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : "";
        bearerTokens.add(token);
        if (!tokens.test(token)) {
            return error(401, "InvalidAuthenticationToken", token.isEmpty() ? "Access token is empty." : "Access token validation failure.");
        }
        for (Iterator<Fault> it = faults.iterator(); it.hasNext(); ) {
            Fault fault = it.next();
            if (fault.method.equals(method) && fault.path.matcher(path).matches()) {
                if (--fault.times[0] <= 0) {
                    it.remove();
                }
                MockResponse.Builder response = errorBuilder(fault.status, fault.code, "Injected by the stand-in: " + fault.code);
                if (fault.retryAfter != null) {
                    response.setHeader("Retry-After", fault.retryAfter);
                }
                return response.build();
            }
        }
        JsonNode body;
        try {
            String text = request.getBody() == null ? "" : request.getBody().utf8();
            body = text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (IOException e) {
            return error(400, "BadRequest", "Unable to read JSON request payload.");
        }
        MockResponse response = route(method, path, segments, url, body, request);
        if (!method.equals("GET") && response.getCode() < 300) {
            writeBodies.add(method + " " + path + " " + (method.equals("DELETE") ? "" : body.toString()));
        }
        return response;
    }

    private MockResponse route(String method, String path, List<String> s, HttpUrl url, JsonNode body, RecordedRequest request) {
        Matcher unique = UNIQUE_NAME.matcher(path);
        Matcher spByAppId = SP_BY_APP_ID.matcher(path);
        if (unique.matches()) {
            Optional<ObjectNode> app = application(unique.group(1));
            if (method.equals("GET")) {
                return app.map(a -> json(200, a)).orElseGet(() -> notFound(unique.group(1)));
            }
            if (method.equals("PATCH")) {
                if (app.isPresent()) {
                    return patchApplication(app.get(), body).orElse(empty(204));
                }
                if (!"create-if-missing".equals(request.getHeaders().get("Prefer"))) {
                    return notFound(unique.group(1));
                }
                ObjectNode created = newApplication(unique.group(1));
                Optional<MockResponse> refused = patchApplication(created, body);
                if (refused.isPresent()) {
                    applications.remove(created.path("id").asText());
                    return refused.get();
                }
                return json(201, created);
            }
        }
        if (path.equals("applications") && method.equals("GET")) {
            Matcher tag = TAG_FILTER.matcher(url.queryParameter("$filter") == null ? "" : url.queryParameter("$filter"));
            List<JsonNode> found = new ArrayList<>();
            for (ObjectNode app : applications.values()) {
                if (!tag.matches() || EntraFields.strings(app.path("tags")).contains(tag.group(1))) {
                    found.add(app);
                }
            }
            return page(url, found);
        }
        if (s.size() >= 3 && s.get(1).equals("applications")) {
            ObjectNode app = applications.get(s.get(2));
            if (app == null) {
                return notFound(s.get(2));
            }
            if (s.size() == 3 && method.equals("GET")) {
                return json(200, app);
            }
            if (s.size() == 3 && method.equals("PATCH")) {
                return patchApplication(app, body).orElse(empty(204));
            }
            if (s.size() == 3 && method.equals("DELETE")) {
                deleteApplication(app);
                return empty(204);
            }
            if (s.size() == 4 && s.get(3).equals("addPassword") && method.equals("POST")) {
                return addPassword(app, body);
            }
        }
        if (spByAppId.matches() && method.equals("GET")) {
            return servicePrincipalOf(spByAppId.group(1)).map(sp -> json(200, sp)).orElseGet(() -> notFound(spByAppId.group(1)));
        }
        if (path.equals("servicePrincipals") && method.equals("POST")) {
            return createServicePrincipal(body);
        }
        if (s.size() >= 4 && s.get(1).equals("servicePrincipals") && s.get(3).equals("appRoleAssignedTo")) {
            ObjectNode resource = servicePrincipals.get(s.get(2));
            if (resource == null) {
                return notFound(s.get(2));
            }
            if (s.size() == 4 && method.equals("GET")) {
                return page(url, assignments.values().stream().filter(a -> a.path("resourceId").asText().equals(s.get(2)))
                        .map(a -> (JsonNode) a).toList());
            }
            if (s.size() == 4 && method.equals("POST")) {
                return assign(resource, body);
            }
            if (s.size() == 5 && method.equals("DELETE")) {
                return assignments.remove(s.get(4)) == null ? notFound(s.get(4)) : empty(204);
            }
        }
        if (s.size() >= 2 && s.get(1).equals("oauth2PermissionGrants")) {
            if (s.size() == 2 && method.equals("GET")) {
                Matcher filter = RESOURCE_FILTER.matcher(url.queryParameter("$filter") == null ? "" : url.queryParameter("$filter"));
                return page(url, grants.values().stream()
                        .filter(g -> !filter.matches() || g.path("resourceId").asText().equals(filter.group(1)))
                        .map(g -> (JsonNode) g).toList());
            }
            if (s.size() == 2 && method.equals("POST")) {
                return createGrant(body);
            }
            ObjectNode grant = s.size() == 3 ? grants.get(s.get(2)) : null;
            if (grant == null) {
                return notFound(s.size() == 3 ? s.get(2) : path);
            }
            if (method.equals("PATCH")) {
                Optional<MockResponse> invalid = checkScopes(grant.path("resourceId").asText(), body.path("scope").asText(""));
                if (invalid.isPresent()) {
                    return invalid.get();
                }
                grant.put("scope", body.path("scope").asText(""));
                return empty(204);
            }
            if (method.equals("DELETE")) {
                grants.remove(s.get(2));
                return empty(204);
            }
        }
        return error(400, "BadRequest", "Resource not found for the segment '" + path + "'.");
    }

    // ---- applications ----

    private ObjectNode newApplication(String uniqueName) {
        ObjectNode app = JSON.createObjectNode();
        String id = UUID.randomUUID().toString();
        app.put("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#applications/$entity");
        app.put("id", id);
        app.put("appId", UUID.randomUUID().toString());
        app.put("createdDateTime", Instant.now().toString());
        app.putNull("description");
        app.putNull("displayName");
        app.putNull("notes");
        app.put("signInAudience", "AzureADandPersonalMicrosoftAccount");
        if (uniqueName == null) {
            app.putNull("uniqueName");
        } else {
            app.put("uniqueName", uniqueName);
        }
        app.putArray("identifierUris");
        app.putArray("tags");
        ObjectNode api = app.putObject("api");
        api.putNull("acceptMappedClaims");
        api.putArray("knownClientApplications");
        api.putNull("requestedAccessTokenVersion");
        api.putArray("oauth2PermissionScopes");
        api.putArray("preAuthorizedApplications");
        app.putArray("appRoles");
        app.putArray("requiredResourceAccess");
        app.putArray("passwordCredentials");
        app.putArray("keyCredentials");
        app.putObject("publicClient").putArray("redirectUris");
        app.putObject("spa").putArray("redirectUris");
        ObjectNode web = app.putObject("web");
        web.putArray("redirectUris");
        applications.put(id, app);
        return app;
    }

    /** PATCH semantics: each property in the body replaces the stored one whole (complex properties included). */
    private Optional<MockResponse> patchApplication(ObjectNode app, JsonNode body) {
        for (String readOnly : List.of("id", "appId", "passwordCredentials", "createdDateTime")) {
            if (body.has(readOnly)) {
                return Optional.of(error(400, "Request_BadRequest", "Property '" + readOnly + "' is read-only and cannot be set."));
            }
        }
        if (body.has("api")) {
            Optional<MockResponse> refused = checkEntitlements(app.path("api").path("oauth2PermissionScopes"),
                    body.path("api").path("oauth2PermissionScopes"));
            if (refused.isPresent()) {
                return refused;
            }
        }
        if (body.has("appRoles")) {
            Optional<MockResponse> refused = checkEntitlements(app.path("appRoles"), body.path("appRoles"));
            if (refused.isPresent()) {
                return refused;
            }
        }
        if (body.has("identifierUris")) {
            for (JsonNode uri : body.path("identifierUris")) {
                String value = uri.asText();
                if (!identifierUriAllowed(value, app.path("appId").asText())) {
                    return Optional.of(error(400, "HostNameNotOnVerifiedDomain", "Values of identifierUris property must use "
                            + "a verified domain of the organization or its subdomain: '" + value + "'"));
                }
            }
        }
        if (body.path("api").has("preAuthorizedApplications")) {
            List<String> stored = new ArrayList<>();
            app.path("api").path("oauth2PermissionScopes").forEach(scope -> stored.add(scope.path("id").asText()));
            for (JsonNode entry : body.path("api").path("preAuthorizedApplications")) {
                for (JsonNode id : entry.path("delegatedPermissionIds")) {
                    if (!stored.contains(id.asText())) {
                        return Optional.of(error(400, "InvalidValue", "Property api.preAuthorizedApplications"
                                + ".delegatedPermissionIds has a Permission Id that cannot be found in the AppPermissions sets."));
                    }
                }
            }
        }
        body.fields().forEachRemaining(e -> app.set(e.getKey(), e.getValue().deepCopy()));
        return Optional.empty();
    }

    /** The identifier URI formats Microsoft documents as accepted for a new URI; hosts compare case-insensitively. */
    private boolean identifierUriAllowed(String value, String appId) {
        java.net.URI uri;
        try {
            uri = java.net.URI.create(value);
        } catch (IllegalArgumentException e) {
            return false;
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(java.util.Locale.ROOT);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if ("api".equals(uri.getScheme())) {
            String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
            return value.equals("api://" + appId) || authority.equals(EntraStandIns.TENANT) || path.equals("/" + appId)
                    || (verified(host) && !path.isEmpty());
        }
        return "https".equals(uri.getScheme()) && verified(host);
    }

    private boolean verified(String host) {
        return verifiedDomains.stream().anyMatch(d -> host.equals(d) || host.endsWith("." + d));
    }

    /**
     * Graph refuses to change or drop an enabled permission scope / app role: it must be disabled first. Disabling
     * (the same entry with isEnabled false) is the one change allowed. Values and ids must be unique.
     */
    private static Optional<MockResponse> checkEntitlements(JsonNode before, JsonNode after) {
        List<String> ids = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (JsonNode entry : after) {
            if (ids.contains(entry.path("id").asText()) || values.contains(entry.path("value").asText())) {
                return Optional.of(error(400, "Request_BadRequest", "Permission or role with the same id or value already exists: "
                        + entry.path("value").asText()));
            }
            ids.add(entry.path("id").asText());
            values.add(entry.path("value").asText());
        }
        for (JsonNode old : before) {
            if (!old.path("isEnabled").asBoolean(false)) {
                continue;
            }
            JsonNode now = null;
            for (JsonNode entry : after) {
                if (entry.path("id").asText().equals(old.path("id").asText())) {
                    now = entry;
                }
            }
            ObjectNode disabled = ((ObjectNode) old).deepCopy().put("isEnabled", false);
            if (now == null || !(now.equals(old) || now.equals(disabled))) {
                return Optional.of(error(400, "CannotDeleteOrUpdateEnabledEntitlement",
                        "Permission (scope or role) cannot be deleted or updated unless disabled first."));
            }
        }
        return Optional.empty();
    }

    private void deleteApplication(ObjectNode app) {
        applications.remove(app.path("id").asText());
        servicePrincipalOf(app.path("appId").asText()).ifPresent(sp -> {
            String spId = sp.path("id").asText();
            servicePrincipals.remove(spId);
            assignments.values().removeIf(a -> a.path("principalId").asText().equals(spId) || a.path("resourceId").asText().equals(spId));
            grants.values().removeIf(g -> g.path("clientId").asText().equals(spId) || g.path("resourceId").asText().equals(spId));
        });
    }

    private MockResponse addPassword(ObjectNode app, JsonNode body) {
        String secret = "Sx8Q~" + UUID.randomUUID().toString().replace("-", "") + "StandIn";
        ObjectNode credential = JSON.createObjectNode();
        credential.putNull("customKeyIdentifier");
        credential.put("displayName", body.path("passwordCredential").path("displayName").asText(null));
        credential.put("endDateTime", Instant.now().plusSeconds(2 * 365 * 86400L).toString());
        credential.put("hint", secret.substring(0, 3));
        credential.put("keyId", UUID.randomUUID().toString());
        credential.putNull("secretText");
        credential.put("startDateTime", Instant.now().toString());
        ((ArrayNode) app.path("passwordCredentials")).add(credential);
        ObjectNode answer = credential.deepCopy();
        answer.put("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.passwordCredential");
        answer.put("secretText", secret);
        return json(200, answer);
    }

    // ---- service principals, grants, assignments ----

    private MockResponse createServicePrincipal(JsonNode body) {
        String appId = body.path("appId").asText();
        Optional<ObjectNode> app = applications.values().stream().filter(a -> a.path("appId").asText().equals(appId)).findFirst();
        if (app.isEmpty()) {
            return error(400, "Request_BadRequest", "The appId '" + appId + "' of the service principal does not reference "
                    + "a valid application object.");
        }
        if (servicePrincipalOf(appId).isPresent()) {
            return error(409, "Request_MultipleObjectsWithSameKeyValue",
                    "Another object with the same value for property servicePrincipalNames already exists.");
        }
        ObjectNode sp = JSON.createObjectNode();
        String id = UUID.randomUUID().toString();
        sp.put("id", id);
        sp.put("appId", appId);
        sp.put("displayName", app.get().path("displayName").asText());
        sp.put("servicePrincipalType", "Application");
        sp.put("appRoleAssignmentRequired", false);
        sp.set("tags", body.has("tags") ? body.get("tags").deepCopy() : JSON.createArrayNode().add("WindowsAzureActiveDirectoryIntegratedApp"));
        servicePrincipals.put(id, sp);
        return json(201, sp);
    }

    private ObjectNode appOf(String servicePrincipalId) {
        ObjectNode sp = servicePrincipals.get(servicePrincipalId);
        return sp == null ? null : applications.values().stream()
                .filter(a -> a.path("appId").asText().equals(sp.path("appId").asText())).findFirst().orElse(null);
    }

    private MockResponse assign(ObjectNode resource, JsonNode body) {
        String resourceId = resource.path("id").asText();
        if (!body.path("resourceId").asText().equals(resourceId)) {
            return error(400, "Request_BadRequest", "resourceId must be the service principal in the URL.");
        }
        ObjectNode principal = servicePrincipals.get(body.path("principalId").asText());
        if (principal == null) {
            return error(404, "Request_ResourceNotFound", "Resource '" + body.path("principalId").asText() + "' does not exist "
                    + "or one of its queried reference-property objects are not present.");
        }
        ObjectNode app = appOf(resourceId);
        String roleId = body.path("appRoleId").asText();
        boolean exists = false;
        for (JsonNode role : app.path("appRoles")) {
            exists |= role.path("id").asText().equals(roleId) && role.path("isEnabled").asBoolean(false)
                    && EntraFields.strings(role.path("allowedMemberTypes")).contains("Application");
        }
        if (!exists) {
            return error(400, "Request_BadRequest", "Permission being assigned was not found on application '"
                    + app.path("appId").asText() + "'.");
        }
        if (assignments.values().stream().anyMatch(a -> a.path("principalId").asText().equals(principal.path("id").asText())
                && a.path("appRoleId").asText().equals(roleId))) {
            return error(409, "Request_BadRequest", "Permission being assigned already exists on the object");
        }
        ObjectNode assignment = JSON.createObjectNode();
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 22);
        assignment.put("id", id);
        assignment.put("appRoleId", roleId);
        assignment.put("createdDateTime", Instant.now().toString());
        assignment.put("principalDisplayName", principal.path("displayName").asText());
        assignment.put("principalId", principal.path("id").asText());
        assignment.put("principalType", "ServicePrincipal");
        assignment.put("resourceDisplayName", resource.path("displayName").asText());
        assignment.put("resourceId", resourceId);
        assignments.put(id, assignment);
        return json(201, assignment);
    }

    private MockResponse createGrant(JsonNode body) {
        if (!servicePrincipals.containsKey(body.path("clientId").asText())) {
            return error(404, "Request_ResourceNotFound", "Resource '" + body.path("clientId").asText() + "' does not exist.");
        }
        Optional<MockResponse> invalid = checkScopes(body.path("resourceId").asText(), body.path("scope").asText(""));
        if (invalid.isPresent()) {
            return invalid.get();
        }
        ObjectNode grant = JSON.createObjectNode();
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 22);
        grant.put("id", id);
        grant.put("clientId", body.path("clientId").asText());
        grant.put("consentType", body.path("consentType").asText());
        grant.putNull("principalId");
        grant.put("resourceId", body.path("resourceId").asText());
        grant.put("scope", body.path("scope").asText(""));
        grants.put(id, grant);
        return json(201, grant);
    }

    private Optional<MockResponse> checkScopes(String resourceSpId, String scope) {
        ObjectNode app = appOf(resourceSpId);
        if (app == null) {
            return Optional.of(error(404, "Request_ResourceNotFound", "Resource '" + resourceSpId + "' does not exist."));
        }
        for (String value : scope.trim().split("\\s+")) {
            boolean known = false;
            for (JsonNode s : app.path("api").path("oauth2PermissionScopes")) {
                known |= s.path("value").asText().equals(value) && s.path("isEnabled").asBoolean(false);
            }
            if (!value.isEmpty() && !known) {
                return Optional.of(error(400, "Request_BadRequest", "Invalid value specified for property 'scope' of resource "
                        + "'OAuth2PermissionGrant': " + value));
            }
        }
        return Optional.empty();
    }

    // ---- responses ----

    private MockResponse page(HttpUrl url, List<JsonNode> all) {
        int skip = url.queryParameter("$skiptoken") == null ? 0 : Integer.parseInt(url.queryParameter("$skiptoken"));
        ObjectNode body = JSON.createObjectNode();
        body.put("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#" + url.pathSegments().get(1));
        ArrayNode value = body.putArray("value");
        all.stream().skip(skip).limit(pageSize).forEach(v -> value.add(v.deepCopy()));
        if (skip + pageSize < all.size()) {
            body.put("@odata.nextLink", url.newBuilder().setQueryParameter("$skiptoken", Integer.toString(skip + pageSize)).build().toString());
        }
        return json(200, body);
    }

    private static MockResponse notFound(String what) {
        return error(404, "Request_ResourceNotFound", "Resource '" + what + "' does not exist or one of its queried "
                + "reference-property objects are not present.");
    }

    private static MockResponse error(int status, String code, String message) {
        return errorBuilder(status, code, message).build();
    }

    private static MockResponse.Builder errorBuilder(int status, String code, String message) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        ObjectNode inner = error.putObject("innerError");
        inner.put("date", Instant.now().toString());
        inner.put("request-id", UUID.randomUUID().toString());
        inner.put("client-request-id", UUID.randomUUID().toString());
        return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/json").body(body.toString());
    }

    private static MockResponse json(int status, JsonNode body) {
        return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/json;odata.metadata=minimal")
                .body(body.toString()).build();
    }

    private static MockResponse empty(int status) {
        return new MockResponse.Builder().code(status).build();
    }

    @Override
    public void close() {
        server.close();
    }
}
