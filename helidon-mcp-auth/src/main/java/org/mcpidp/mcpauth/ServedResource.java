package org.mcpidp.mcpauth;

import io.modelcontextprotocol.util.DefaultMcpUriTemplateManager;
import io.modelcontextprotocol.util.McpUriTemplateManager;
import java.util.function.Predicate;

/** A resource with its URI matcher, made once (a template's matcher is not cheap to build per request). */
record ServedResource(SdkResource item, Predicate<String> answers) {

    static ServedResource of(SdkResource resource) {
        if (resource.definition().isPresent()) {
            String uri = resource.uri();
            return new ServedResource(resource, uri::equals);
        }
        McpUriTemplateManager template = new DefaultMcpUriTemplateManager(resource.uri());
        return new ServedResource(resource, template::matches);
    }

    boolean answers(String uri) {
        return answers.test(uri);
    }
}
