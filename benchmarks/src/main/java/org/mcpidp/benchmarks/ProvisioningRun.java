package org.mcpidp.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mcpidp.provisioning.ApplyListener;
import org.mcpidp.provisioning.ApplyReport;
import org.mcpidp.provisioning.SecretSink;
import org.mcpidp.provisioning.keycloak.KeycloakConnection;
import org.mcpidp.provisioning.keycloak.KeycloakProvisioner;
import org.mcpidp.provisioning.keycloak.KeycloakSpecRules;
import org.mcpidp.provisioning.spec.SpecLoader;
import org.mcpidp.provisioning.spec.TenantSpec;
import org.mcpidp.testkit.KeycloakServer;

/** Apply the demo tenant from scratch, re-apply it unchanged, apply ten tenants: wall times and admin writes. */
final class ProvisioningRun {

    record Result(long applyMillis, long reapplyMillis, long reapplyWrites, long tenTenantsMillis) {
    }

    private ProvisioningRun() {
    }

    static Result run(Path demoSpec) throws Exception {
        KeycloakServer keycloak = KeycloakServer.shared();
        TenantSpec demo = new SpecLoader(Map.of(), KeycloakSpecRules.INSTANCE).load(demoSpec).tenants().getFirst();
        KeycloakConnection connection = new KeycloakConnection(keycloak.baseUrl(), "master", "admin-cli",
                Optional.empty(), Optional.of(keycloak.adminUser()), Optional.of(keycloak.adminPassword()));
        String suffix = Long.toHexString(System.nanoTime());
        List<String> realms = new ArrayList<>();
        try (KeycloakProvisioner provisioner = KeycloakProvisioner.connect(connection)) {
            TenantSpec first = renamed(demo, "bench-demo-" + suffix);
            realms.add(first.realm());
            ApplyReport apply = apply(provisioner, first);
            ApplyReport reapply = apply(provisioner, first);

            long start = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                TenantSpec tenant = renamed(demo, "bench-t" + i + "-" + suffix);
                realms.add(tenant.realm());
                apply(provisioner, tenant);
            }
            long tenMillis = (System.nanoTime() - start) / 1_000_000;
            return new Result(apply.took().toMillis(), reapply.took().toMillis(), reapply.writes(), tenMillis);
        } finally {
            for (String realm : realms) {
                try {
                    keycloak.admin().delete("/" + realm);
                } catch (RuntimeException ignored) {
                    // best effort cleanup
                }
            }
        }
    }

    /** Plan and apply, timed together (what a user waits for). */
    private static ApplyReport apply(KeycloakProvisioner provisioner, TenantSpec tenant) {
        long start = System.nanoTime();
        ApplyReport report = provisioner.apply(provisioner.plan(tenant), SecretSink.discard(), ApplyListener.silent());
        return new ApplyReport(report.realm(), report.applied(), report.writes(),
                java.time.Duration.ofNanos(System.nanoTime() - start));
    }

    private static TenantSpec renamed(TenantSpec tenant, String realm) {
        return new TenantSpec(realm, tenant.displayName(), tenant.accessTokenLifespan(), tenant.resource(),
                tenant.scopes(), tenant.roles(), tenant.clients(), tenant.users());
    }
}
