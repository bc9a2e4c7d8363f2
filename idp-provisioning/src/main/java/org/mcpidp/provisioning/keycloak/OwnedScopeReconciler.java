package org.mcpidp.provisioning.keycloak;

import java.util.Optional;
import java.util.stream.Stream;
import org.keycloak.representations.idm.ClientScopeRepresentation;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.engine.KeyedReconciler;
import org.mcpidp.provisioning.engine.Owner;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * The tenant's client scopes of one kind: the MCP servers' ({@link ClientScopeReconciler}) or the downstream APIs'
 * ({@link DownstreamScopeReconciler}), told apart by {@link DownstreamScopes#MARKER}. Whose a scope is its ownership
 * marker says ({@link Ownership}); each kind prunes only the tenant's scopes of that kind.
 */
abstract class OwnedScopeReconciler extends KeyedReconciler<LiveRealm, ApplyContext> {

    private final boolean downstream;

    OwnedScopeReconciler(boolean downstream) {
        this.downstream = downstream;
    }

    @Override
    public final ResourceType type() {
        return ResourceType.CLIENT_SCOPE;
    }

    @Override
    protected final Optional<Owner> owner(TenantSpec spec, LiveRealm live, String name) {
        return Optional.of(Ownership.ofScope(live, name, spec.realm()));
    }

    @Override
    protected final Stream<String> owned(TenantSpec spec, LiveRealm live) {
        return live.scopes().stream().filter(s -> Ownership.owned(s.getAttributes(), spec.realm()))
                .filter(s -> isDownstream(s) == downstream)
                .map(ClientScopeRepresentation::getName);
    }

    private static boolean isDownstream(ClientScopeRepresentation scope) {
        return scope.getAttributes() != null && scope.getAttributes().containsKey(DownstreamScopes.MARKER);
    }
}
