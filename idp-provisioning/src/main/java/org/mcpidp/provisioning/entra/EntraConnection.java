package org.mcpidp.provisioning.entra;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.mcpidp.http.WebUrls;

/**
 * Where and as whom to reach one Entra tenant: the provisioning app's client credentials (its own app registration
 * with Graph application permissions, see docs/entra.md), the login host msal4j gets tokens from and the Graph
 * base URL. Everything comes from the environment, never from command-line arguments (visible in {@code ps}):
 * {@code ENTRA_TENANT_ID}, {@code ENTRA_CLIENT_ID}, {@code ENTRA_CLIENT_SECRET}, optionally
 * {@code ENTRA_AUTHORITY_HOST} (default {@value #DEFAULT_AUTHORITY_HOST}) and {@code GRAPH_BASE_URL} (default
 * {@value #DEFAULT_GRAPH_BASE_URL}); the overrides exist for national clouds and for the local stand-ins in tests.
 *
 * @param tenantId      a tenant id (GUID) or verified domain; never {@code common}/{@code organizations}/{@code consumers}
 * @param authorityHost scheme and host (and port) of the login endpoint, without a path
 * @param graphBaseUrl  Graph including the version segment, without a trailing slash
 */
public record EntraConnection(String tenantId, String clientId, String clientSecret, URI authorityHost,
                              URI graphBaseUrl) {

    public static final String DEFAULT_AUTHORITY_HOST = "https://login.microsoftonline.com";
    public static final String DEFAULT_GRAPH_BASE_URL = "https://graph.microsoft.com/v1.0";

    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,255}");
    /** Client credentials need one specific tenant: these authority aliases would pick none. */
    private static final Set<String> NOT_A_TENANT = Set.of("common", "organizations", "consumers");

    public EntraConnection {
        if (!TENANT.matcher(tenantId).matches() || NOT_A_TENANT.contains(tenantId.toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException("ENTRA_TENANT_ID '" + tenantId + "' is not a tenant id: give the "
                    + "directory (tenant) id GUID or a verified domain such as contoso.onmicrosoft.com");
        }
        requireHttps(authorityHost, "ENTRA_AUTHORITY_HOST");
        requireHttps(graphBaseUrl, "GRAPH_BASE_URL");
    }

    public static EntraConnection fromEnv(Map<String, String> env) {
        String tenant = value(env, "ENTRA_TENANT_ID");
        String client = value(env, "ENTRA_CLIENT_ID");
        String secret = value(env, "ENTRA_CLIENT_SECRET");
        if (tenant == null || client == null || secret == null) {
            throw new IllegalArgumentException("no Entra credentials: set ENTRA_TENANT_ID, ENTRA_CLIENT_ID and "
                    + "ENTRA_CLIENT_SECRET (the provisioning app's client secret) in the environment");
        }
        return new EntraConnection(tenant, client, secret,
                uri(Optional.ofNullable(value(env, "ENTRA_AUTHORITY_HOST")).orElse(DEFAULT_AUTHORITY_HOST), "ENTRA_AUTHORITY_HOST"),
                uri(Optional.ofNullable(value(env, "GRAPH_BASE_URL")).orElse(DEFAULT_GRAPH_BASE_URL), "GRAPH_BASE_URL"));
    }

    /** The msal4j authority: {@code https://login.microsoftonline.com/<tenant>/}. */
    String authority() {
        return authorityHost + "/" + tenantId + "/";
    }

    /** Hides the secret: records print themselves in logs and exceptions. */
    @Override
    public String toString() {
        return "EntraConnection[tenant " + tenantId + ", client " + clientId + ", " + authorityHost + ", " + graphBaseUrl + "]";
    }

    private static String value(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static URI uri(String value, String name) {
        String trimmed = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        try {
            return new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(name + " '" + value + "' is not a URL");
        }
    }

    private static void requireHttps(URI uri, String name) {
        if (!WebUrls.isHttps(uri) || !WebUrls.isPlain(uri)) {
            throw new IllegalArgumentException(name + " '" + uri + "' must be an https URL without query or fragment");
        }
    }
}
