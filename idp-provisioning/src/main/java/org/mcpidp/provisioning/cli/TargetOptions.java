package org.mcpidp.provisioning.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Options shared by commands that talk to Keycloak. Credentials are deliberately not options (see the main help). */
final class TargetOptions {

    @Parameters(index = "0", paramLabel = "SPEC", description = "tenant spec (YAML, or JSON)")
    Path spec;

    @Option(names = "--keycloak-url", paramLabel = "URL", description = "Keycloak base URL (default: $KEYCLOAK_URL)")
    Optional<String> keycloakUrl = Optional.empty();

    @Option(names = "--realm", paramLabel = "REALM", description = "only this tenant of a multi-tenant spec")
    Optional<String> realm = Optional.empty();
}
