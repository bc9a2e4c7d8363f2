package org.mcpidp.testkit;

import org.mcpidp.runtime.HealthWait;

/** A Keycloak that is already running; this JVM neither starts nor stops it. */
record ExternalKeycloak(String baseUrl, String adminUser, String adminPassword) implements KeycloakBackend {

    ExternalKeycloak {
        baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    @Override
    public void start() {
        HealthWait.untilUp(baseUrl + "/realms/master/.well-known/openid-configuration",
                java.time.Duration.ofSeconds(10), () -> true,
                () -> "Keycloak at " + baseUrl + " (keycloak.url) does not answer");
    }

    @Override
    public String toString() {
        return "ExternalKeycloak[" + baseUrl + "]";
    }
}
