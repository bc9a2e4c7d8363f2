package org.mcpidp.testkit;

import dasniko.testcontainers.keycloak.KeycloakContainer;

/** Keycloak in a container, for machines with a Docker engine (testcontainers-keycloak). */
final class ContainerKeycloak implements KeycloakBackend {

    private KeycloakContainer container;

    @Override
    public void start() {
        container = new KeycloakContainer("quay.io/keycloak/keycloak:" + KeycloakServer.VERSION);
        container.start();
        // Ryuk removes the container when this JVM exits, even when it is killed.
    }

    @Override
    public String baseUrl() {
        String url = container.getAuthServerUrl();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public String adminUser() {
        return container.getAdminUsername();
    }

    @Override
    public String adminPassword() {
        return container.getAdminPassword();
    }
}
