package org.mcpidp.mcpauth;

import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.server.McpRequestContext;
import io.modelcontextprotocol.modern.server.feature.McpSyncResource;
import io.modelcontextprotocol.modern.server.feature.McpSyncResourceRepository;
import io.modelcontextprotocol.modern.server.feature.McpSyncResourceTemplate;
import io.modelcontextprotocol.modern.server.feature.ResourceTemplatesPage;
import io.modelcontextprotocol.modern.server.feature.ResourcesPage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link SdkEngine}'s resources and resource templates, listed per caller in registration order; each handler
 * re-checks its requirement.
 */
final class GuardedResources implements McpSyncResourceRepository {
    private final List<ServedResource> resources;
    private final Map<SdkResource, McpSyncResource> guarded = new LinkedHashMap<>();

    GuardedResources(List<ServedResource> resources) {
        this.resources = resources;
        resources.forEach(served -> {
            SdkResource resource = served.item();
            McpSyncResource original = resource.resource();
            McpSyncResource.Handler handler = (context, request) -> {
                EngineAccess.admit(context, resource.requirement(), "resource " + request.uri());
                return original.handler().read(context, request);
            };
            guarded.put(resource, original.requiredCapabilities() == null ? McpSyncResource.of(handler)
                    : McpSyncResource.of(original.requiredCapabilities(), handler));
        });
    }

    @Override
    public ResourcesPage list(McpRequestContext context, String cursor) {
        List<McpSchema.Resource> visible = new ArrayList<>();
        resources.forEach(served -> served.item().definition().ifPresent(definition -> {
            if (EngineAccess.visible(context, served.item().requirement())) {
                visible.add(definition);
            }
        }));
        return ResourcesPage.of(visible);
    }

    @Override
    public ResourceTemplatesPage listTemplates(McpRequestContext context, String cursor) {
        List<McpSchema.ResourceTemplate> visible = new ArrayList<>();
        resources.forEach(served -> served.item().template().ifPresent(template -> {
            if (EngineAccess.visible(context, served.item().requirement())) {
                visible.add(template.definition());
            }
        }));
        return ResourceTemplatesPage.of(visible);
    }

    @Override
    public McpSyncResource find(McpRequestContext context, String uri) {
        return resources.stream().filter(served -> served.answers(uri)).findFirst()
                .map(served -> guarded.get(served.item())).orElse(null);
    }

    @Override
    public McpSyncResourceTemplate findTemplate(McpRequestContext context, String uriTemplate) {
        return resources.stream().flatMap(served -> served.item().template().stream())
                .filter(template -> template.definition().uriTemplate().equals(uriTemplate))
                .findFirst().orElse(null);
    }

    @Override
    public boolean supportsCompletion() {
        return resources.stream().anyMatch(served -> served.item().template()
                .map(template -> template.completionHandler() != null).orElse(false));
    }

    @Override
    public boolean supportsSubscribe() {
        return true;
    }
}
