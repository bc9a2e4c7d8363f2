package org.mcpidp.provisioning.spec;

import java.net.URI;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** A tenant's {@code resource}: the MCP server as a {@link ResourceSpec} (URL, client id, secret reference). */
final class ResourceBinder {

    static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}");

    private ResourceBinder() {
    }

    /** Empty when it is missing or not a mapping (reported); a resource with errors in its fields is returned. */
    static Optional<ResourceSpec> bind(SpecReader in, Node.Mapping tenant, String path) {
        Node.Entry entry = tenant.entries().get("resource");
        if (entry == null) {
            in.error(tenant, path, "missing required field 'resource'");
            return Optional.empty();
        }
        String p = path + ".resource";
        return in.mapping(entry.value(), p).map(r -> {
            in.fields(r, p, Set.of("url", "clientId", "secret"));
            URI url = in.url(r, "url", p, true);
            String clientId = in.required(r, "clientId", p, CLIENT_ID, "a client id");
            return new ResourceSpec(url, clientId, in.secret(r, "secret", p, clientId, "_SECRET"));
        });
    }
}
