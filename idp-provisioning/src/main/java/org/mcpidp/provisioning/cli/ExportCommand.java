package org.mcpidp.provisioning.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.mcpidp.provisioning.keycloak.KeycloakSpecRules;
import org.mcpidp.provisioning.keycloak.RealmExporter;
import org.mcpidp.provisioning.spec.TenantSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Writes the realm JSON for Keycloak's --import-realm. Secrets are ${ENV} placeholders that "
                + "Keycloak fills from its environment at import; no IdP is contacted. Keycloak only: Entra ID has no "
                + "import format, use apply --target entra.")
final class ExportCommand implements Callable<Integer> {

    @ParentCommand
    ProvisioningCli cli;

    @Parameters(index = "0", paramLabel = "SPEC", description = "tenant spec (YAML, or JSON)")
    Path spec;

    @Option(names = "--realm", paramLabel = "REALM", description = "only this tenant of a multi-tenant spec")
    Optional<String> realm = Optional.empty();

    @Option(names = {"-o", "--output"}, paramLabel = "PATH",
            description = "output file, or a directory for several tenants (<realm>-realm.json); default: stdout")
    Optional<Path> output = Optional.empty();

    @Override
    public Integer call() throws Exception {
        List<TenantSpec> tenants = cli.tenants(spec, realm, KeycloakSpecRules.INSTANCE);
        if (output.isEmpty()) {
            tenants.forEach(t -> cli.out.print(RealmExporter.export(t)));
            // stdout is the realm JSON: what the server needs besides goes to stderr
            tenants.forEach(t -> ScopeHierarchyNote.print(t, TargetOptions.Target.keycloak, cli.err));
            return ProvisioningCli.OK;
        }
        Path out = output.get();
        if (tenants.size() > 1 || Files.isDirectory(out)) {
            Files.createDirectories(out);
            for (TenantSpec t : tenants) {
                write(out.resolve(t.realm() + "-realm.json"), t);
            }
        } else {
            write(out, tenants.get(0));
        }
        return ProvisioningCli.OK;
    }

    private void write(Path file, TenantSpec tenant) throws java.io.IOException {
        Files.writeString(file, RealmExporter.export(tenant), StandardCharsets.UTF_8);
        cli.out.println("wrote " + file);
        ScopeHierarchyNote.print(tenant, TargetOptions.Target.keycloak, cli.out);
    }
}
