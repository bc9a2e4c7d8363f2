package org.mcpidp.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * What the kit accepts as a web URL, written once: an IdP endpoint, an issuer, a resource identifier, a redirect. A
 * web URL has the scheme {@code http} or {@code https} (exactly, lower case, as {@link URI} keeps it) and a host; an
 * endpoint URL additionally has neither query nor fragment. Callers word their own errors (they know the file, the
 * line or the config key).
 */
public final class WebUrls {

    private WebUrls() {
    }

    /** {@code http} or {@code https}, with a host. */
    public static boolean isWeb(URI uri) {
        return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null;
    }

    /** {@code https} with a host. */
    public static boolean isHttps(URI uri) {
        return "https".equals(uri.getScheme()) && uri.getHost() != null;
    }

    /** Neither a query nor a fragment: an endpoint or identifier, not a link into a page. */
    public static boolean isPlain(URI uri) {
        return uri.getRawQuery() == null && uri.getRawFragment() == null;
    }

    /**
     * Parses {@code value} as a web URL.
     *
     * @throws IllegalArgumentException naming {@code what} and the value when it is not a URL, or not http(s) with a host
     */
    public static URI parseWeb(String value, String what) {
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not a URL: " + value);
        }
        if (!isWeb(uri)) {
            throw new IllegalArgumentException(what + " must be an http(s) URL with a host: " + value);
        }
        return uri;
    }

    /**
     * The canonical form of a resource identifier (RFC 8707 section 2, MCP "Canonical Server URI"): lower-case host and
     * no trailing slash, so {@code https://MCP.example.com/mcp/} becomes {@code https://mcp.example.com/mcp} and
     * {@code https://mcp.example.com/} becomes {@code https://mcp.example.com}. Clients, Keycloak's audience and
     * Entra's Application ID URI all compare the resource character by character (Entra answers
     * {@code AADSTS9010010} when the requested resource and the Application ID URI differ, a trailing slash included),
     * so the kit writes only this form. Scheme, port, path case, query and fragment are left as they are: the caller
     * has already refused what it does not accept.
     */
    public static URI canonicalResource(URI uri) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        int end = path.length();
        while (end > 0 && path.charAt(end - 1) == '/') {
            end--;
        }
        String host = uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
        if (end == path.length() && (host == null || host.equals(uri.getHost()))) {
            return uri;
        }
        StringBuilder out = new StringBuilder().append(uri.getScheme()).append("://");
        if (uri.getRawUserInfo() != null) {
            out.append(uri.getRawUserInfo()).append('@');
        }
        out.append(host);
        if (uri.getPort() >= 0) {
            out.append(':').append(uri.getPort());
        }
        out.append(path, 0, end);
        if (uri.getRawQuery() != null) {
            out.append('?').append(uri.getRawQuery());
        }
        if (uri.getRawFragment() != null) {
            out.append('#').append(uri.getRawFragment());
        }
        try {
            return new URI(out.toString());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + uri, e);
        }
    }
}
