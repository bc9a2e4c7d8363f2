package org.mcpidp.provisioning.entra;

import java.util.Optional;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.engine.KeyedReconciler;
import org.mcpidp.provisioning.engine.Owner;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * The app registrations a spec asks for (the MCP server's API, the clients, the downstream APIs), keyed by spec client
 * id. Whose one is its tag says ({@link EntraOwnership}); one found under the spec's unique name without this tenant's
 * tag (made by hand, or by another tool) is taken over only when the plan adopts it: another app may rely on it.
 */
abstract class AppRegistrationReconciler extends KeyedReconciler<LiveTenant, ApplyContext> {

    @Override
    public final ResourceType type() {
        return ResourceType.APPLICATION;
    }

    @Override
    protected final Optional<Owner> owner(TenantSpec spec, LiveTenant live, String clientId) {
        return Optional.of(EntraOwnership.of(live.app(clientId), spec.realm()));
    }

    @Override
    protected final boolean takeoverNeedsAdoption() {
        return true;
    }
}
