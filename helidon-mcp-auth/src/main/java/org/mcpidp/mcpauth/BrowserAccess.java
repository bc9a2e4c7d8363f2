package org.mcpidp.mcpauth;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which browsers and which host names may reach the MCP endpoint: the immutable rules of {@link OriginGuard} and
 * {@link CorsPolicy}. The MCP Streamable HTTP transport says servers MUST validate {@code Origin} against DNS
 * rebinding: a page on {@code http://evil.example} whose name an attacker re-points to {@code 127.0.0.1} makes the
 * browser send {@code Host: evil.example} and {@code Origin: http://evil.example} to a local server.
 *
 * <p>A request passes when its {@code Host} is one of {@link #hosts()} and its {@code Origin}, if any, is this server's
 * own (its authority is one of the hosts) or one of {@link #origins()}. Hosts are the resource URL's host and port,
 * the configured extra hosts, and, when the server listens on (or its resource URL names) a loopback address, the
 * loopback names {@code localhost}, {@code 127.0.0.1} and {@code [::1]} on the listen and resource ports.
 *
 * @param origins allowed cross-origin callers ({@code mcp.allowed-origins}), normalized {@code scheme://host[:port]};
 *                only they get CORS headers
 * @param hosts   accepted {@code Host} values, normalized {@code host:port}, or {@code host:*} for any port
 */
record BrowserAccess(Set<String> origins, Set<String> hosts) {

    private static final List<String> LOOPBACK_NAMES = List.of("localhost", "127.0.0.1", "[::1]");

    BrowserAccess {
        origins = Set.copyOf(origins);
        hosts = Set.copyOf(hosts);
    }

    /**
     * The rules for a server whose public URL is {@code resource} and which listens on {@code listenHost:listenPort}
     * (empty when unknown, e.g. a server assembled by hand).
     *
     * @throws IllegalArgumentException naming the value that is not an origin or a host
     */
    static BrowserAccess of(URI resource, Optional<String> listenHost, int listenPort,
                            Collection<String> allowedOrigins, Collection<String> allowedHosts) {
        Set<String> origins = new LinkedHashSet<>();
        for (String origin : allowedOrigins) {
            origins.add(configuredOrigin(origin));
        }
        int resourcePort = port(resource.getPort(), resource.getScheme());
        Set<String> hosts = new LinkedHashSet<>();
        hosts.add(bracketed(resource.getHost()) + ":" + resourcePort);
        for (String host : allowedHosts) {
            hosts.add(configuredHost(host));
        }
        Set<Integer> loopbackPorts = new LinkedHashSet<>();
        if (isLoopback(resource.getHost())) {
            loopbackPorts.add(resourcePort);
        }
        if (listenHost.isPresent() && isLoopback(listenHost.get()) && listenPort > 0) {
            loopbackPorts.add(listenPort);
            loopbackPorts.add(resourcePort);
        }
        for (int port : loopbackPorts) {
            LOOPBACK_NAMES.forEach(name -> hosts.add(name + ":" + port));
        }
        return new BrowserAccess(origins, hosts);
    }

    /** True when a {@code Host} header value names this server. */
    boolean hostAllowed(String hostHeader, boolean secure) {
        if (hosts.contains(hostHeader)) {
            return true; // the common case, exactly as normalized (a non-default port): no parsing per request
        }
        Optional<String> authority = authority(hostHeader, secure ? "https" : "http");
        return authority.isPresent() && matchesHost(authority.get());
    }

    /** True when {@code origin} (an {@code Origin} header value) may call: this server's own, or an allowed one. */
    boolean originAllowed(String origin) {
        Optional<String> normalized = origin(origin);
        if (normalized.isEmpty()) {
            return false; // "null" (sandboxed pages, file://) and garbage: never trusted
        }
        return origins.contains(normalized.get()) || matchesHost(normalized.get().substring(
                normalized.get().indexOf("://") + 3));
    }

    /** True when {@code origin} gets CORS headers (it is in the allow-list, not merely same-origin). */
    boolean corsAllowed(String origin) {
        return origin(origin).filter(origins::contains).isPresent();
    }

    private boolean matchesHost(String hostAndPort) {
        if (hosts.contains(hostAndPort)) {
            return true;
        }
        int colon = hostAndPort.lastIndexOf(':');
        return colon > 0 && hosts.contains(hostAndPort.substring(0, colon) + ":*");
    }

    /** {@code scheme://host:port} with a lower-case host and the default port made explicit, or empty. */
    static Optional<String> origin(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(value.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean bare = uri.getRawPath() == null || uri.getRawPath().isEmpty() || "/".equals(uri.getRawPath());
            if (!("http".equals(scheme) || "https".equals(scheme)) || uri.getHost() == null || !bare
                    || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                return Optional.empty();
            }
            return Optional.of(scheme + "://" + bracketed(uri.getHost().toLowerCase(Locale.ROOT)) + ":"
                    + port(uri.getPort(), scheme));
        } catch (java.net.URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** {@code host:port} of a {@code Host} header ({@code name}, {@code name:port}, {@code [v6]:port}), or empty. */
    static Optional<String> authority(String value, String scheme) {
        if (value == null || value.isBlank() || value.contains("/") || value.contains("@")) {
            return Optional.empty();
        }
        return origin(scheme + "://" + value.strip()).map(origin -> origin.substring(origin.indexOf("://") + 3));
    }

    static String configuredOrigin(String value) {
        return origin(value).orElseThrow(() -> new IllegalArgumentException(
                "allowed origin must be scheme://host[:port] (http or https, no path), was " + value));
    }

    static String configuredHost(String value) {
        String text = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        boolean anyPort = !text.contains(":") || (text.startsWith("[") && text.endsWith("]"));
        Optional<String> parsed = authority(anyPort ? text + ":1" : text, "http");
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException("allowed host must be host or host:port, was " + value);
        }
        String host = parsed.get();
        return anyPort ? host.substring(0, host.lastIndexOf(':')) + ":*" : host;
    }

    private static int port(int port, String scheme) {
        return port >= 0 ? port : "https".equalsIgnoreCase(scheme) ? 443 : 80;
    }

    private static String bracketed(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static boolean isLoopback(String host) {
        String name = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if ("localhost".equalsIgnoreCase(name)) {
            return true;
        }
        if (!name.matches("[0-9.]+|[0-9a-fA-F]*:[0-9a-fA-F:]*")) {
            return false; // never resolve a DNS name here
        }
        try {
            return InetAddress.getByName(name).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
