package org.mcpidp.provisioning.entra;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.mcpidp.provisioning.Provisioner;
import org.mcpidp.provisioning.SecretSink;
import org.mcpidp.provisioning.engine.KeyedReconciler;
import org.mcpidp.provisioning.engine.PlanEngine;
import org.mcpidp.provisioning.engine.Target;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * {@link Provisioner} for Microsoft Entra ID through Microsoft Graph v1.0 (OkHttp) with app-only tokens from msal4j.
 * All tenant specs go into the one Entra tenant of the {@link EntraConnection}; a spec's {@code realm} names and tags
 * what belongs to it.
 *
 * <p>What a tenant spec becomes: the resource is an API app registration (v2 tokens, Application ID URI = the MCP
 * server's canonical URL) with its service principal, pre-authorizing the client apps the spec lists by application
 * id for its delegated permissions; each open scope is a delegated permission ({@code scp}); every scope is also an
 * app role ({@code roles}: for applications, and for users where role-gated); each role is an app role; agents are
 * confidential app registrations
 * with a generated client secret and their app roles assigned; interactive clients are public (SPA) app
 * registrations with admin consent to their scopes; each downstream API is an API app registration with its scopes,
 * which the MCP API app lists in {@code requiredResourceAccess} and holds admin consent for (it calls them
 * On-Behalf-Of its callers). Demo users are not created in Entra. The spec's resource secret
 * is not used: the MCP server validates Entra tokens as JWTs and needs no secret.
 *
 * <p>Plans and applies run on the shared {@link PlanEngine}; what is Entra's own is in the reconcilers.
 *
 * <p>Failures: a Graph error other than throttling and replication delay stops the apply with
 * {@link ProvisioningException} naming the object, Graph's error code and message; what was applied stays.
 */
public final class EntraProvisioner extends PlanEngine<LiveTenant, ApplyContext> {

    /** In order: creates and updates run top-down, deletes bottom-up. */
    private static final List<KeyedReconciler<LiveTenant, ApplyContext>> RECONCILERS = List.of(
            new ApiApplicationReconciler(), new PermissionScopeReconciler(), new AppRoleReconciler(),
            new PreAuthorizationReconciler(),
            new DownstreamApplicationReconciler(), new DownstreamScopeReconciler(),
            new ClientApplicationReconciler(), new DownstreamAccessReconciler(), new ServicePrincipalReconciler(),
            new ClientSecretReconciler(), new DownstreamGrantReconciler(), new PermissionGrantReconciler(),
            new AppRoleAssignmentReconciler());

    private final GraphGateway graph;

    EntraProvisioner(GraphGateway graph) {
        super(new EntraTarget(graph), RECONCILERS);
        this.graph = graph;
    }

    /** Connects to the real Entra ID: instance discovery and authority validation stay on. */
    public static EntraProvisioner connect(EntraConnection connection) {
        OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(60)).build();
        return new EntraProvisioner(new GraphGateway(http, HttpUrl.get(connection.graphBaseUrl().toString()),
                EntraCredentials.create(connection, Optional.empty())::accessToken, RetryPolicy.DEFAULT, Sleeper.real(),
                Clock.systemUTC(), true));
    }

    /** Graph writes made so far by this provisioner (each counted once, however often it was retried). */
    public long writes() {
        return graph.writes();
    }

    /** How the engine reads a tenant's objects in Entra and what a change gets to run with. */
    private record EntraTarget(GraphGateway graph) implements Target<LiveTenant, ApplyContext> {

        @Override
        public LiveTenant read(TenantSpec tenant) {
            return LiveTenant.read(graph, tenant);
        }

        @Override
        public ApplyContext context(TenantSpec tenant, SecretSink secrets) {
            return new ApplyContext(graph, tenant, secrets);
        }

        @Override
        public long writes() {
            return graph.writes();
        }

        @Override
        public List<String> notes(TenantSpec tenant, LiveTenant live) {
            List<String> notes = new java.util.ArrayList<>();
            notes.add("Application ID URI: " + ApiApplicationReconciler.identifierUri(tenant) + " (clients send it as "
                    + "resource and ask for <it>/<scope>; Entra accepts it only on a verified domain of the tenant)");
            if (!tenant.resource().preAuthorizedClients().isEmpty() && PreAuthorizationReconciler.delegated(tenant).isEmpty()) {
                notes.add("preAuthorizedClients: nothing to pre-authorize, every scope is role-gated (an app role, "
                        + "which Entra cannot pre-authorize); those clients' users get scopes only through app role "
                        + "assignments");
            }
            return notes;
        }

        @Override
        public void close() {
            graph.close();
        }
    }
}
