package org.mcpidp.provisioning.cli;

import java.nio.file.Path;
import java.util.Optional;
import org.mcpidp.provisioning.entra.EntraSpecRules;
import org.mcpidp.provisioning.keycloak.KeycloakSpecRules;
import org.mcpidp.provisioning.spec.TargetRules;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Options shared by commands that talk to an IdP. Credentials are deliberately not options (see the main help). */
final class TargetOptions {

    enum Target { keycloak, entra }

    @Option(names = "--target", paramLabel = "IDP", defaultValue = "keycloak",
            description = "keycloak (default) or entra (Microsoft Entra ID via Graph; connection from ENTRA_TENANT_ID, "
                    + "ENTRA_CLIENT_ID, ENTRA_CLIENT_SECRET, optional ENTRA_AUTHORITY_HOST and GRAPH_BASE_URL)")
    Target target = Target.keycloak;

    @Parameters(index = "0", paramLabel = "SPEC", description = "tenant spec (YAML, or JSON)")
    Path spec;

    @Option(names = "--keycloak-url", paramLabel = "URL", description = "Keycloak base URL (default: $KEYCLOAK_URL); only with --target keycloak")
    Optional<String> keycloakUrl = Optional.empty();

    @Option(names = "--realm", paramLabel = "REALM", description = "only this tenant of a multi-tenant spec")
    Optional<String> realm = Optional.empty();

    TargetRules rules() {
        return rules(target);
    }

    /**
     * The names each IdP reserves and what it cannot hold; Entra reserves none of the spec's names (its objects are
     * tagged per tenant), but holds one server per spec and no self-registration.
     */
    static TargetRules rules(Target target) {
        return switch (target) {
            case keycloak -> KeycloakSpecRules.INSTANCE;
            case entra -> EntraSpecRules.INSTANCE;
        };
    }
}
