package org.mcpidp.provisioning.entra;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.engine.KeyedReconciler;
import org.mcpidp.provisioning.spec.DownstreamScopeSpec;
import org.mcpidp.provisioning.spec.DownstreamSpec;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * Admin consent for On-Behalf-Of: one {@code oauth2PermissionGrant} (consentType {@code AllPrincipals}) from the MCP
 * server's service principal to each downstream API's, listing all its scopes. Without it Entra answers the exchange
 * with AADSTS65001 ({@code consent_required}). Keyed by the downstream API's client id.
 *
 * <p>What Entra cannot do: a scope's {@code from} (which MCP scopes may exchange for it). Consent is per app, not per
 * incoming scope: every user token for the MCP API can be exchanged for every consented scope. The kit enforces
 * {@code from} in the MCP server before it asks (see docs/entra.md, "On-Behalf-Of").
 */
final class DownstreamGrantReconciler extends KeyedReconciler<LiveTenant, ApplyContext> {

    @Override
    public ResourceType type() {
        return ResourceType.PERMISSION_GRANT;
    }

    @Override
    protected Map<String, Map<String, String>> desired(TenantSpec spec, LiveTenant live) {
        Map<String, Map<String, String>> wanted = new LinkedHashMap<>();
        for (DownstreamSpec api : spec.downstream()) {
            if (!api.scopes().isEmpty()) {
                wanted.put(api.clientId(), AdminConsent.fields(scope(api)));
            }
        }
        return wanted;
    }

    @Override
    protected Optional<Map<String, String>> current(TenantSpec spec, LiveTenant live, String clientId,
                                                    Map<String, String> desired) {
        return grant(spec, live, clientId).map(AdminConsent::fields);
    }

    /** Grants of downstream APIs still in the spec (one whose scopes all went loses its grant); Entra deletes the
     *  grants of an API that left the spec with its app. */
    @Override
    protected Stream<String> owned(TenantSpec spec, LiveTenant live) {
        return spec.downstream().stream().map(DownstreamSpec::clientId).filter(c -> grant(spec, live, c).isPresent());
    }

    private static Optional<JsonNode> grant(TenantSpec spec, LiveTenant live, String clientId) {
        return live.servicePrincipal(spec.resource().clientId()).flatMap(mcp ->
                AdminConsent.find(live.downstreamGrants().getOrDefault(clientId, List.of()), mcp.path("id").asText()));
    }

    @Override
    public boolean handles(Change change, TenantSpec spec) {
        return change.type() == type() && spec.downstream(change.name()).isPresent();
    }

    @Override
    public void apply(Change change, TenantSpec spec, ApplyContext context) {
        String mcpSp = context.servicePrincipal(spec.resource().clientId()).path("id").asText();
        String apiSp = context.servicePrincipal(change.name()).path("id").asText();
        String what = "admin consent for " + spec.resource().clientId() + " to " + change.name();
        AdminConsent.apply(change, context.graph(), what, mcpSp, apiSp, scope(spec.downstream(change.name()).orElseThrow()));
    }

    private static String scope(DownstreamSpec api) {
        return AdminConsent.scope(api.scopes().stream().map(DownstreamScopeSpec::name).toList());
    }
}
