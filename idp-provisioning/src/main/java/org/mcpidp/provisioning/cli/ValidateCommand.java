package org.mcpidp.provisioning.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.mcpidp.provisioning.spec.TenantSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Checks a spec without contacting any IdP. Exit 0 if valid, 2 with every error (file:line:column: field: message).")
final class ValidateCommand implements Callable<Integer> {

    @ParentCommand
    ProvisioningCli cli;

    @Parameters(index = "0", paramLabel = "SPEC", description = "tenant spec (YAML, or JSON)")
    Path spec;

    @Option(names = "--target", paramLabel = "IDP", defaultValue = "keycloak",
            description = "whose rules on names apply besides the spec's own: keycloak (default) or entra")
    TargetOptions.Target target = TargetOptions.Target.keycloak;

    @Override
    public Integer call() throws Exception {
        List<TenantSpec> tenants = cli.tenants(spec, Optional.empty(), TargetOptions.rules(target));
        for (TenantSpec t : tenants) {
            cli.out.println(spec.getFileName() + ": realm " + t.realm() + ": " + t.scopes().size() + " scope(s), "
                    + t.roles().size() + " role(s), " + (t.clients().size() + 1) + " client(s), " + t.users().size() + " user(s)");
            ScopeHierarchyNote.print(t, target, cli.out);
        }
        cli.out.println(spec.getFileName() + ": valid");
        return ProvisioningCli.OK;
    }
}
