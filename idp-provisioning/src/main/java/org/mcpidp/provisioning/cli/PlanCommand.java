package org.mcpidp.provisioning.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.mcpidp.provisioning.Plan;
import org.mcpidp.provisioning.spec.TenantSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Reads the live realm(s) (Keycloak) or app registrations (Entra) and prints what apply would change. "
                + "Changes nothing.")
final class PlanCommand implements Callable<Integer> {

    @ParentCommand
    ProvisioningCli cli;

    @Mixin
    TargetOptions target;

    @Option(names = "--detailed-exitcode", description = "exit 3 when there are changes (0 when none)")
    boolean detailedExitCode;

    @Option(names = "--adopt", description = "show the plan as apply --adopt would run it: existing clients / app "
            + "registrations that are not this tool's are taken over instead of refused")
    boolean adopt;

    @Override
    public Integer call() throws Exception {
        List<TenantSpec> tenants = cli.tenants(target.spec, target.realm, target.rules());
        boolean changes = false;
        try (ProvisioningCli.Connected connected = cli.connect(target)) {
            for (TenantSpec tenant : tenants) {
                Plan plan = connected.provisioner().plan(tenant);
                if (adopt) {
                    plan = plan.adopting();
                }
                PlanRenderer.render(plan, connected.where(), cli.out);
                cli.noteUnprovisionedUsers(connected, tenant);
                ScopeHierarchyNote.print(tenant, connected.target(), cli.out);
                changes |= plan.hasChanges();
            }
        }
        return detailedExitCode && changes ? ProvisioningCli.DRIFT : ProvisioningCli.OK;
    }
}
