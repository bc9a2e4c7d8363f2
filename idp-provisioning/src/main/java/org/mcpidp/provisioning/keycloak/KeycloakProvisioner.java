package org.mcpidp.provisioning.keycloak;

import java.util.ArrayList;
import java.util.List;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.representations.idm.ClientRepresentation;
import org.mcpidp.provisioning.Provisioner;
import org.mcpidp.provisioning.SecretSink;
import org.mcpidp.provisioning.engine.KeyedReconciler;
import org.mcpidp.provisioning.engine.PlanEngine;
import org.mcpidp.provisioning.engine.Target;
import org.mcpidp.provisioning.spec.SecretRef;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * {@link Provisioner} for Keycloak through keycloak-admin-client: the shared {@link PlanEngine} over this target's
 * reconcilers; what is Keycloak's own here is how to connect, read a realm, and export client secrets after apply.
 */
public final class KeycloakProvisioner extends PlanEngine<LiveRealm, ApplyContext> {

    // Roles before client scopes: a scope's role scope mappings need its roles. Registration policies last: they open
    // the realm to self-registering clients only once everything they may ask for is in place, PKCE enforcement and
    // the check of their redirects included (and they shut it before those go). Downstream scopes before clients (the
    // MCP server's client links them); the downscope policy, then the one-server-per-token policies last.
    // People's sessions (offline_access withheld) before anything lets self-registering clients in; one client policy
    // per metadata-document client of people.clients after the registration section's.
    private static final List<KeyedReconciler<LiveRealm, ApplyContext>> RECONCILERS = reconcilers();

    private static List<KeyedReconciler<LiveRealm, ApplyContext>> reconcilers() {
        List<KeyedReconciler<LiveRealm, ApplyContext>> all = new ArrayList<>(List.of(new RealmReconciler(),
                new RoleReconciler(), new ClientScopeReconciler(), new DownstreamScopeReconciler(), new ClientReconciler(),
                new UserReconciler(), new RoleMappingReconciler(), new PeopleSessionReconciler(),
                new RegistrationPkcePolicyReconciler(), new RegistrationRedirectsPolicyReconciler(), new RegistrationPolicyReconciler(),
                new ClientPolicyReconciler()));
        all.addAll(ProfilePolicyReconciler.all());
        all.add(new ExchangePolicyReconciler());
        all.add(new OneServerPolicyReconciler());
        return List.copyOf(all);
    }

    private final KeycloakGateway gateway;

    KeycloakProvisioner(KeycloakGateway gateway) {
        super(new KeycloakTarget(gateway), RECONCILERS);
        this.gateway = gateway;
    }

    public static KeycloakProvisioner connect(KeycloakConnection connection) {
        KeycloakBuilder builder = KeycloakBuilder.builder()
                .serverUrl(connection.url())
                .realm(connection.adminRealm())
                .clientId(connection.clientId());
        if (connection.clientSecret().isPresent()) {
            builder.grantType(OAuth2Constants.CLIENT_CREDENTIALS).clientSecret(connection.clientSecret().get());
        } else {
            builder.grantType(OAuth2Constants.PASSWORD)
                    .username(connection.username().orElseThrow())
                    .password(connection.password().orElseThrow());
        }
        Keycloak keycloak = builder.build();
        return new KeycloakProvisioner(new KeycloakGateway(keycloak));
    }

    /**
     * For each client of {@code people.clients}: how Keycloak 26.7.3 lets it in and what a person enters in it, with
     * the reason where its own registration cannot be used (printed with plan and apply).
     */
    public static List<String> peopleNotes(TenantSpec spec) {
        return PeopleClients.notes(spec);
    }

    /** For tests in this package: the write counter and budget. */
    KeycloakGateway gatewayForTests() {
        return gateway;
    }

    /** Admin API writes made so far by this provisioner. */
    public long writes() {
        return gateway.writes();
    }

    /** How the engine reads a realm, what a change gets to run with, and the secret export after apply. */
    private record KeycloakTarget(KeycloakGateway gateway) implements Target<LiveRealm, ApplyContext> {

        @Override
        public LiveRealm read(TenantSpec tenant) {
            return LiveRealm.read(gateway, tenant);
        }

        @Override
        public ApplyContext context(TenantSpec tenant, SecretSink secrets) {
            return new ApplyContext(gateway, tenant.realm(), secrets,
                    AudienceScheme.choose(tenant, gateway.policies().featureEnabled(AudienceScheme.FEATURE)));
        }

        @Override
        public List<String> notes(TenantSpec tenant, LiveRealm live) {
            return List.of(AudienceScheme.note(tenant, live.resourceIndicators()));
        }

        @Override
        public long writes() {
            return gateway.writes();
        }

        /**
         * Hands the secret of every confidential client whose secret was not given by the environment to the sink, on
         * every apply: reading costs no write and the sink stays complete even when the clients existed before.
         */
        @Override
        public void afterApply(TenantSpec spec, ApplyContext context) {
            List<SecretRef> refs = new ArrayList<>();
            List<String> clientIds = new ArrayList<>();
            spec.servers().forEach(server -> {
                refs.add(server.secret());
                clientIds.add(server.clientId());
            });
            spec.clients().stream().filter(c -> c.secret() != null).forEach(c -> {
                refs.add(c.secret());
                clientIds.add(c.clientId());
            });
            List<ClientRepresentation> clients = gateway.clients(spec.realm());
            for (int i = 0; i < refs.size(); i++) {
                if (refs.get(i).value().isPresent()) {
                    continue;
                }
                String clientId = clientIds.get(i);
                String envName = refs.get(i).envName();
                clients.stream().filter(c -> c.getClientId().equals(clientId)).findFirst()
                        .ifPresent(c -> context.secrets().put(envName, gateway.clientSecret(spec.realm(), c.getId())));
            }
        }

        @Override
        public void close() {
            gateway.close();
        }
    }
}
