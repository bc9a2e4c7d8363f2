package org.mcpidp.mcpauth;

import java.net.URI;
import java.util.Optional;

/** The one rule for the URLs the feature publishes (resource, documentation) and the default resource URL. */
final class Urls {

    private Urls() {
    }

    /** {@code value} when it is an http(s) URL with a host and without query or fragment. */
    static URI httpUrl(URI value) {
        if (!("https".equals(value.getScheme()) || "http".equals(value.getScheme())) || value.getHost() == null
                || value.getRawFragment() != null || value.getRawQuery() != null) {
            throw new IllegalArgumentException("must be an http(s) URL with a host, without query or fragment, was "
                    + value);
        }
        return value;
    }

    /**
     * {@code http://<host>:<port><mcpPath>}: the public URL of a server reached at its listen address. A wildcard
     * address, port 0 or an unknown address leave it to be configured: it cannot be guessed.
     */
    static URI defaultResource(Optional<String> listenHost, int listenPort, String mcpPath) {
        String host = listenHost.orElse("");
        if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || listenPort == 0) {
            throw new IllegalStateException("configuration mcp.resource is required (resource(...)) when server.host "
                    + "is a wildcard address or server.port is 0 (the public URL of the MCP endpoint cannot be guessed)");
        }
        String hostPart = host.contains(":") ? "[" + host + "]" : host;
        return URI.create("http://" + hostPart + ":" + listenPort + mcpPath);
    }
}
