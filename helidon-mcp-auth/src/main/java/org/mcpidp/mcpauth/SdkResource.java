package org.mcpidp.mcpauth;

import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.server.feature.McpSyncResource;
import io.modelcontextprotocol.modern.server.feature.McpSyncResourceTemplate;
import java.util.Objects;
import java.util.Optional;

/**
 * A resource served by the {@link SdkEngine}, with what a caller needs to read it: one URI ({@link #of}) or every URI
 * of a URI template ({@link #template}); the handler reads the URI it is given.
 *
 * @param definition  the listed resource, for a single URI
 * @param template    the listed template, for a family of URIs
 */
public record SdkResource(Optional<McpSchema.Resource> definition, Optional<McpSyncResourceTemplate> template,
                          McpSyncResource resource, ToolRequirement requirement) {

    public SdkResource {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(requirement, "requirement: a resource declares what it needs "
                + "(ToolRequirement.anyAuthenticated() for any caller)");
        if (definition.isPresent() == template.isPresent()) {
            throw new IllegalArgumentException("a resource is one URI or one URI template");
        }
    }

    /** The resource at one URI. */
    public static SdkResource of(McpSchema.Resource definition, McpSyncResource resource,
                                 ToolRequirement requirement) {
        return new SdkResource(Optional.of(definition), Optional.empty(), resource, requirement);
    }

    /** Every resource whose URI matches {@code template}. */
    public static SdkResource template(McpSyncResourceTemplate template, McpSyncResource resource,
                                       ToolRequirement requirement) {
        return new SdkResource(Optional.empty(), Optional.of(template), resource, requirement);
    }

    /** The URI, or the URI template, this resource answers for. */
    public String uri() {
        return definition.map(McpSchema.Resource::uri).orElseGet(() -> template.orElseThrow().definition().uriTemplate());
    }
}
