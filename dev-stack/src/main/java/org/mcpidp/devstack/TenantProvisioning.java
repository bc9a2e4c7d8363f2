package org.mcpidp.devstack;

import java.io.PrintStream;
import java.util.Map;
import org.mcpidp.provisioning.ApplyReport;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.Plan;
import org.mcpidp.provisioning.SecretSink;
import org.mcpidp.provisioning.keycloak.KeycloakConnection;
import org.mcpidp.provisioning.keycloak.KeycloakProvisioner;
import org.mcpidp.provisioning.spec.TenantSpec;

/** {@code idp-provisioning apply --yes} for the launcher: the same plan and apply, reported in the launcher's words. */
final class TenantProvisioning {

    private TenantProvisioning() {
    }

    /** Plans and applies {@code tenant}; secrets go to {@code secrets} only. Returns the admin API writes made. */
    static long apply(TenantSpec tenant, String keycloakUrl, String adminUser, String adminPassword,
                      SecretSink secrets, PrintStream out) {
        KeycloakConnection connection = KeycloakConnection.fromEnv(keycloakUrl,
                Map.of("KEYCLOAK_ADMIN_USER", adminUser, "KEYCLOAK_ADMIN_PASSWORD", adminPassword));
        try (KeycloakProvisioner provisioner = KeycloakProvisioner.connect(connection)) {
            Plan plan = provisioner.plan(tenant);
            ApplyReport report = provisioner.apply(plan, secrets, (index, total, change) ->
                    out.println("      [" + index + "/" + total + "] " + symbol(change) + " " + change.type().label()
                            + " " + change.name()));
            if (plan.hasChanges()) {
                out.printf("      applied: %d created, %d updated, %d deleted, %d unchanged; %d admin API writes, "
                                + "%d ms%n", plan.count(Change.Create.class), plan.count(Change.Update.class),
                        plan.count(Change.Delete.class), plan.unchanged(), report.writes(), report.took().toMillis());
            } else {
                out.printf("      realm %s is up to date: 0 changes, %d admin API writes (%d objects unchanged)%n",
                        tenant.realm(), report.writes(), plan.unchanged());
            }
            return report.writes();
        }
    }

    private static String symbol(Change change) {
        return switch (change) {
            case Change.Create c -> "+";
            case Change.Update u -> "~";
            case Change.Delete d -> "-";
        };
    }
}
