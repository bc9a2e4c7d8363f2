package com.example.mcp;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.mcpidp.provisioning.ApplyListener;
import org.mcpidp.provisioning.ApplyReport;
import org.mcpidp.provisioning.Plan;
import org.mcpidp.provisioning.Provisioner;
import org.mcpidp.provisioning.keycloak.KeycloakConnection;
import org.mcpidp.provisioning.keycloak.KeycloakProvisioner;
import org.mcpidp.provisioning.spec.SpecFile;
import org.mcpidp.provisioning.spec.SpecLoader;
import org.mcpidp.provisioning.spec.TenantSpec;

/** Brings a Keycloak realm to what a tenant spec says: plan (reads only), then apply exactly that plan. */
public final class ProvisionTenant {

    public static void main(String[] args) throws Exception {
        // java com.example.mcp.ProvisionTenant realm-exports/demo-tenant.yaml, with KEYCLOAK_URL and the admin's
        // credentials (KEYCLOAK_ADMIN_USER/_PASSWORD, or _CLIENT_ID/_SECRET) in the environment
        SpecFile spec = new SpecLoader(System.getenv()).load(Path.of(args[0])); // errors name file:line:column
        Map<String, String> secrets = new TreeMap<>(); // generated client secrets: hand them to your secret store
        try (Provisioner keycloak = KeycloakProvisioner.connect(
                KeycloakConnection.fromEnv(System.getenv("KEYCLOAK_URL"), System.getenv()))) {
            for (TenantSpec tenant : spec.tenants()) {
                Plan plan = keycloak.plan(tenant);
                ApplyReport report = keycloak.apply(plan, secrets::put, ApplyListener.silent());
                System.out.println(tenant.realm() + ": " + report.applied().size() + " change(s), "
                        + report.writes() + " admin API writes, secrets generated for " + secrets.keySet());
            }
        }
    }
}
