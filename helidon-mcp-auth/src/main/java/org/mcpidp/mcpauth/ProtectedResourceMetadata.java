package org.mcpidp.mcpauth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * RFC 9728 OAuth 2.0 Protected Resource Metadata for the MCP endpoint, served at the root well-known URL and at the
 * path-aware one ({@code /.well-known/oauth-protected-resource/<mcp path>}), which is what MCP clients try first.
 * Readable cross-origin (browser-based MCP clients discover it too). The document is built once.
 */
final class ProtectedResourceMetadata implements HttpService {

    static final String WELL_KNOWN = "/.well-known/oauth-protected-resource";

    private final URI resource;
    private final String mcpPath;
    private final byte[] document;

    ProtectedResourceMetadata(URI resource,
                              String mcpPath,
                              List<String> authorizationServers,
                              Set<String> scopesSupported,
                              String resourceName,
                              Optional<String> resourceDocumentation) {
        this.resource = resource;
        this.mcpPath = mcpPath;
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("resource", resource.toString());
        authorizationServers.forEach(root.putArray("authorization_servers")::add);
        scopesSupported.forEach(root.putArray("scopes_supported")::add);
        root.putArray("bearer_methods_supported").add("header");
        root.put("resource_name", resourceName);
        resourceDocumentation.ifPresent(doc -> root.put("resource_documentation", doc));
        try {
            this.document = json.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The URL a client is pointed to in {@code resource_metadata}: the path-aware well-known URL of the resource. */
    String metadataUrl() {
        String path = resource.getRawPath() == null || "/".equals(resource.getRawPath()) ? "" : resource.getRawPath();
        return resource.getScheme() + "://" + resource.getRawAuthority() + WELL_KNOWN + path;
    }

    /** The JSON document, for tests and logs. */
    String document() {
        return new String(document, StandardCharsets.UTF_8);
    }

    @Override
    public void routing(HttpRules rules) {
        Set<String> paths = new LinkedHashSet<>();
        paths.add(WELL_KNOWN);
        paths.add(WELL_KNOWN + mcpPath);
        String resourcePath = resource.getRawPath();
        if (resourcePath != null && !resourcePath.isEmpty() && !"/".equals(resourcePath)) {
            // behind a proxy the public path may differ from the local one; serve both
            paths.add(WELL_KNOWN + resourcePath);
        }
        for (String path : paths) {
            rules.get(path, this::serve);
            rules.options(path, this::preflight);
        }
    }

    private void serve(ServerRequest request, ServerResponse response) {
        cors(response);
        response.header(HeaderValues.CONTENT_TYPE_JSON);
        response.header(HeaderNames.CACHE_CONTROL, "public, max-age=300");
        response.send(document);
    }

    private void preflight(ServerRequest request, ServerResponse response) {
        cors(response);
        response.header(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, OPTIONS");
        response.header(HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "*");
        response.header(HeaderNames.ACCESS_CONTROL_MAX_AGE, "86400");
        response.status(Status.NO_CONTENT_204).send();
    }

    private static void cors(ServerResponse response) {
        response.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    }
}
