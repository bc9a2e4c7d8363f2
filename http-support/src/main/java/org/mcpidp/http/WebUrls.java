package org.mcpidp.http;

import java.net.URI;

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
}
