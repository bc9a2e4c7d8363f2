package org.mcpidp.provisioning.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.mcpidp.provisioning.ApplyReport;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.NotOwnedException;
import org.mcpidp.provisioning.Plan;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.SecretSink;
import org.mcpidp.provisioning.Provisioner;
import org.mcpidp.provisioning.spec.TenantSpec;
import org.mcpidp.provisioning.spec.UserSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Plans, asks for confirmation (or takes --yes), then executes exactly that plan. Generated "
                + "secrets go only to --secrets-file (0600), never to the terminal. With --target entra, --secrets-file "
                + "is required whenever a client secret is added (Entra shows it only once).")
final class ApplyCommand implements Callable<Integer> {

    @ParentCommand
    ProvisioningCli cli;

    @Mixin
    TargetOptions target;

    @Option(names = "--yes", description = "apply without asking (CI, scripts)")
    boolean yes;

    @Option(names = "--adopt", description = "take over clients (Keycloak) or app registrations (Entra) that exist "
            + "under the spec's names but were not created by this tool for the tenant: they are marked as the tenant's, "
            + "brought to the spec, and deleted once they leave it. Without it, apply refuses them and changes nothing.")
    boolean adopt;

    @Option(names = "--secrets-file", paramLabel = "FILE",
            description = "where client secrets and generated passwords are written (mode 0600; JSON for *.json, "
                    + "else NAME='value' lines). Existing entries are kept.")
    Optional<Path> secretsFile = Optional.empty();

    @Override
    public Integer call() throws Exception {
        List<TenantSpec> tenants = cli.tenants(target.spec, target.realm, target.rules());
        try (ProvisioningCli.Connected connected = cli.connect(target)) {
            Provisioner provisioner = connected.provisioner();
            List<Plan> plans = new ArrayList<>();
            for (TenantSpec tenant : tenants) {
                Plan plan = provisioner.plan(tenant);
                if (adopt) {
                    plan = plan.adopting();
                }
                PlanRenderer.render(plan, connected.where(), cli.out);
                cli.noteUnprovisionedUsers(connected, tenant);
                ScopeHierarchyNote.print(tenant, connected.target(), cli.out);
                plans.add(plan);
            }
            List<Plan> refusing = plans.stream().filter(p -> !p.refused().isEmpty()).toList();
            if (!refusing.isEmpty()) {
                refusing.forEach(p -> cli.err.println("error: " + new NotOwnedException(p).getMessage()));
                return ProvisioningCli.FAILED;
            }
            long changes = plans.stream().mapToLong(p -> p.changes().size()).sum();
            if (secretsFile.isEmpty() && generatesPasswords(plans)) {
                cli.err.println("error: this plan creates users whose password is generated (their variable is unset);"
                        + " give --secrets-file so the password is not lost, or set the variables.");
                return ProvisioningCli.INVALID;
            }
            if (secretsFile.isEmpty() && createsEntraSecrets(plans)) {
                cli.err.println("error: this plan adds client secrets in Entra ID, which shows each one only once; give "
                        + "--secrets-file so they are not lost.");
                return ProvisioningCli.INVALID;
            }
            if (changes > 0 && !yes) {
                Optional<String> answer = cli.prompt.ask("Apply " + changes + " change(s)? Only 'yes' will be accepted: ");
                if (answer.isEmpty()) {
                    cli.err.println("error: refusing to apply without confirmation: no interactive console. "
                            + "Re-run with --yes to apply non-interactively.");
                    return ProvisioningCli.INVALID;
                }
                if (!answer.get().trim().equals("yes")) {
                    cli.err.println("Apply cancelled; nothing was changed.");
                    return ProvisioningCli.FAILED;
                }
            }
            SecretsFile file = secretsFile.map(SecretsFile::new).orElse(null);
            SecretSink sink = file == null ? SecretSink.discard() : file;
            try {
                for (Plan plan : plans) {
                    ApplyReport report = provisioner.apply(plan, sink, (index, total, change) ->
                            cli.out.println("  [" + index + "/" + total + "] " + symbol(change) + " "
                                    + change.type().label() + " " + change.name() + ": done"));
                    cli.out.printf("Apply complete for %s: %d created, %d updated, %d deleted, %d unchanged "
                                    + "(%d admin API writes, %d ms).%n", report.realm(),
                            plan.count(Change.Create.class), plan.count(Change.Update.class),
                            plan.count(Change.Delete.class), plan.unchanged(), report.writes(), report.took().toMillis());
                }
            } finally {
                // Also after a failure: passwords generated before it would otherwise be lost.
                if (file != null) {
                    file.write();
                }
            }
            if (file != null && file.size() > 0) {
                cli.out.println(file.size() + " secret(s) written to " + secretsFile.get() + " (mode 0600).");
            } else if (file == null && connected.target() == TargetOptions.Target.keycloak) {
                cli.out.println("Client secrets were not written anywhere (no --secrets-file); they stay in Keycloak.");
            }
        }
        return ProvisioningCli.OK;
    }

    private static boolean generatesPasswords(List<Plan> plans) {
        for (Plan plan : plans) {
            for (Change change : plan.changes()) {
                if (change instanceof Change.Create c && c.type() == ResourceType.USER) {
                    Optional<UserSpec> user = plan.tenant().user(c.name());
                    if (user.isPresent() && user.get().password().value().isEmpty()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean createsEntraSecrets(List<Plan> plans) {
        return plans.stream().flatMap(p -> p.changes().stream())
                .anyMatch(c -> c instanceof Change.Create && c.type() == ResourceType.CLIENT_SECRET);
    }

    private static String symbol(Change change) {
        return switch (change) {
            case Change.Create c -> "+";
            case Change.Update u -> "~";
            case Change.Delete d -> "-";
        };
    }
}
