package org.mcpidp.provisioning.entra;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.MsalServiceException;
import java.net.MalformedURLException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLSocketFactory;
import org.mcpidp.provisioning.ProvisioningException;

/**
 * App-only Graph tokens for one tenant from msal4j (client credentials, scope {@value #GRAPH_DEFAULT_SCOPE}). One
 * {@link ConfidentialClientApplication} per tenant: {@code acquireToken} answers from its in-memory token cache
 * until the token is close to expiry, so a whole plan/apply costs one token request.
 */
final class EntraCredentials {

    static final String GRAPH_DEFAULT_SCOPE = "https://graph.microsoft.com/.default";
    private static final long TIMEOUT_SECONDS = 60;

    private final ConfidentialClientApplication app;
    private final ClientCredentialParameters parameters = ClientCredentialParameters.builder(Set.of(GRAPH_DEFAULT_SCOPE)).build();

    private EntraCredentials(ConfidentialClientApplication app) {
        this.app = app;
    }

    /**
     * @param localStandIn TEST configuration only: trust for a local HTTPS stand-in of the token endpoint. When
     *                     present, instance discovery and authority validation are switched off (both would ask
     *                     Microsoft's servers about the stand-in's host). Production passes empty.
     */
    static EntraCredentials create(EntraConnection connection, Optional<SSLSocketFactory> localStandIn) {
        try {
            ConfidentialClientApplication.Builder builder = ConfidentialClientApplication
                    .builder(connection.clientId(), ClientCredentialFactory.createFromSecret(connection.clientSecret()))
                    .authority(connection.authority())
                    .connectTimeoutForDefaultHttpClient(10_000)
                    .readTimeoutForDefaultHttpClient(30_000);
            if (localStandIn.isPresent()) {
                builder.instanceDiscovery(false).validateAuthority(false).sslSocketFactory(localStandIn.get());
            }
            return new EntraCredentials(builder.build());
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid Entra authority " + connection.authority() + ": " + e.getMessage(), e);
        }
    }

    /** A valid Graph access token, from msal4j's cache when it has one. Never logged. */
    String accessToken() {
        try {
            return app.acquireToken(parameters).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).accessToken();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof MsalServiceException service) {
                // AADSTS codes and messages name the problem (wrong secret, unknown tenant, ...), never the secret.
                throw new ProvisioningException("Entra token request failed: " + service.errorCode() + ": "
                        + firstLine(service.getMessage()), service);
            }
            throw new ProvisioningException("Entra token request failed: " + (cause == null ? e : cause).getMessage(), e);
        } catch (TimeoutException e) {
            throw new ProvisioningException("Entra token request timed out after " + TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProvisioningException("interrupted while getting an Entra token", e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }
}
