package org.mcpidp.provisioning.keycloak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.representations.idm.ClientRepresentation;
import org.mcpidp.provisioning.ApplyListener;
import org.mcpidp.provisioning.ApplyReport;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.Plan;
import org.mcpidp.provisioning.Provisioner;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.SecretSink;
import org.mcpidp.provisioning.spec.SecretRef;
import org.mcpidp.provisioning.spec.TenantSpec;

/** {@link Provisioner} for Keycloak through keycloak-admin-client. */
public final class KeycloakProvisioner implements Provisioner {

    // Roles before client scopes: a scope's role scope mappings need its roles. Registration policies last: they open
    // the realm to self-registering clients only once everything they may ask for is in place.
    private static final List<Reconciler> RECONCILERS = List.of(new RealmReconciler(), new RoleReconciler(),
            new ClientScopeReconciler(), new ClientReconciler(), new UserReconciler(), new RoleMappingReconciler(),
            new RegistrationPolicyReconciler(), new ClientPolicyReconciler());
    private static final Map<ResourceType, Reconciler> BY_TYPE = RECONCILERS.stream()
            .collect(Collectors.toMap(Reconciler::type, Function.identity()));

    private final KeycloakGateway gateway;

    KeycloakProvisioner(KeycloakGateway gateway) {
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

    /** For tests in this package: the write counter and budget. */
    KeycloakGateway gatewayForTests() {
        return gateway;
    }

    /** Admin API writes made so far by this provisioner. */
    public long writes() {
        return gateway.writes();
    }

    @Override
    public Plan plan(TenantSpec tenant) {
        LiveRealm live = LiveRealm.read(gateway, tenant);
        List<Change> upserts = new ArrayList<>();
        List<List<Change>> deletes = new ArrayList<>();
        int unchanged = 0;
        for (Reconciler reconciler : RECONCILERS) {
            Reconciler.Diff diff = reconciler.plan(tenant, live);
            upserts.addAll(diff.upserts());
            deletes.add(0, diff.deletes());
            unchanged += diff.unchanged();
        }
        List<Change> changes = new ArrayList<>(upserts);
        deletes.forEach(changes::addAll);
        return new Plan(tenant, changes, unchanged);
    }

    @Override
    public ApplyReport apply(Plan plan, SecretSink secrets, ApplyListener listener) {
        long start = System.nanoTime();
        long writesBefore = gateway.writes();
        TenantSpec spec = plan.tenant();
        ApplyContext context = new ApplyContext(gateway, spec.realm(), secrets);
        List<Change> applied = new ArrayList<>();
        int index = 0;
        for (Change change : plan.changes()) {
            BY_TYPE.get(change.type()).apply(change, spec, context);
            applied.add(change);
            listener.applied(++index, plan.changes().size(), change);
        }
        exportClientSecrets(spec, context);
        return new ApplyReport(spec.realm(), applied, gateway.writes() - writesBefore,
                Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Hands the secret of every confidential client whose secret was not given by the environment to the sink, on
     * every apply: reading costs no write and the sink stays complete even when the clients existed before.
     */
    private void exportClientSecrets(TenantSpec spec, ApplyContext context) {
        List<SecretRef> refs = new ArrayList<>();
        List<String> clientIds = new ArrayList<>();
        refs.add(spec.resource().secret());
        clientIds.add(spec.resource().clientId());
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
