package org.mcpidp.provisioning.entra;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.mcpidp.provisioning.DemoTenantFixture;
import org.mcpidp.provisioning.Plan;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * What every Entra scenario test sets up: its own local STAND-INS of Microsoft Graph and the Entra token endpoint (not
 * Microsoft; see {@link EntraStandIns}), a provisioner against them, the secrets its applies export, and the demo
 * tenant under {@value #REALM}. Each test gets new stand-ins, so the order of tests does not matter.
 */
abstract class EntraStandInScenario {

    static final String REALM = "mcp-demo";
    /** The shared demo tenant; its resource URL is never called, Entra takes the identifier from the app. */
    static final String DEMO = DemoTenantFixture.demo(REALM, "https://mcp.example.test/mcp");

    @TempDir
    Path dir;

    final EntraStandIns standIns = new EntraStandIns();
    final EntraProvisioner provisioner = standIns.provisioner();
    final Map<String, String> secrets = new HashMap<>();

    @AfterEach
    void closeStandIns() {
        provisioner.close();
        standIns.close();
    }

    TenantSpec spec(String yaml) {
        return DemoTenantFixture.tenant(dir, yaml);
    }

    Plan apply(TenantSpec spec) {
        return DemoTenantFixture.apply(provisioner, spec, secrets::put);
    }

    /** The stand-in's application registration of the tenant's {@code clientId}. */
    ObjectNode app(String clientId) {
        return standIns.graph().application(EntraNames.uniqueName(REALM, clientId)).orElseThrow();
    }
}
