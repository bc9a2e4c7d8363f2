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
import org.mcpidp.provisioning.spec.ClientSpec;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * Admin consent for interactive clients: one {@code oauth2PermissionGrant} (consentType {@code AllPrincipals}, see {@link AdminConsent}) from the
 * client's service principal to the API's, listing the client's spec scopes. Without it every user would be asked to
 * consent (or could not, where user consent is off). Agents need none: their app roles are assigned instead.
 */
final class PermissionGrantReconciler extends KeyedReconciler<LiveTenant, ApplyContext> {

    @Override
    public ResourceType type() {
        return ResourceType.PERMISSION_GRANT;
    }

    /** Only interactive clients with delegated scopes get a grant; one whose scopes all went loses it. */
    @Override
    protected Map<String, Map<String, String>> desired(TenantSpec spec, LiveTenant live) {
        Map<String, Map<String, String>> wanted = new LinkedHashMap<>();
        for (ClientSpec client : interactive(spec)) {
            String scope = AdminConsent.scope(delegated(spec, client));
            if (!scope.isEmpty()) {
                wanted.put(client.clientId(), AdminConsent.fields(scope));
            }
        }
        return wanted;
    }

    @Override
    protected Optional<Map<String, String>> current(TenantSpec spec, LiveTenant live, String clientId,
                                                    Map<String, String> desired) {
        return grant(live, clientId).map(AdminConsent::fields);
    }

    @Override
    protected Stream<String> owned(TenantSpec spec, LiveTenant live) {
        return interactive(spec).stream().map(ClientSpec::clientId).filter(c -> grant(live, c).isPresent());
    }

    private static List<ClientSpec> interactive(TenantSpec spec) {
        return spec.clients().stream().filter(c -> c.type() == ClientSpec.Type.INTERACTIVE).toList();
    }

    private static Optional<JsonNode> grant(LiveTenant live, String clientId) {
        return live.servicePrincipal(clientId).flatMap(sp -> AdminConsent.find(live.grants(), sp.path("id").asText()));
    }

    @Override
    public void apply(Change change, TenantSpec spec, ApplyContext context) {
        String clientSp = context.servicePrincipal(change.name()).path("id").asText();
        String apiSp = context.servicePrincipal(spec.resource().clientId()).path("id").asText();
        String scope = change instanceof Change.Delete ? ""
                : AdminConsent.scope(delegated(spec, spec.client(change.name()).orElseThrow()));
        AdminConsent.apply(change, context.graph(), "admin consent for " + change.name(), clientSp, apiSp, scope);
    }

    /** The client's scopes that are delegated permissions: role-gated ones are app roles only, never consented. */
    private static List<String> delegated(TenantSpec spec, ClientSpec client) {
        return client.scopes().stream().filter(s -> spec.scope(s).map(scope -> !scope.gated()).orElse(false)).toList();
    }
}
