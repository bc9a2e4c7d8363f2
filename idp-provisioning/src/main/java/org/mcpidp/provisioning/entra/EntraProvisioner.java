package org.mcpidp.provisioning.entra;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.mcpidp.provisioning.ApplyListener;
import org.mcpidp.provisioning.ApplyReport;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.Plan;
import org.mcpidp.provisioning.ProvisioningException;
import org.mcpidp.provisioning.Provisioner;
import org.mcpidp.provisioning.SecretSink;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * {@link Provisioner} for Microsoft Entra ID through Microsoft Graph v1.0 (OkHttp) with app-only tokens from msal4j.
 * All tenant specs go into the one Entra tenant of the {@link EntraConnection}; a spec's {@code realm} names and tags
 * what belongs to it.
 *
 * <p>What a tenant spec becomes: the resource is an API app registration (v2 tokens, App ID URI
 * {@code api://<appId>}) with its service principal; each scope is both a delegated permission ({@code scp}) and an
 * app role for applications ({@code roles}); each role is an app role; agents are confidential app registrations
 * with a generated client secret and their app roles assigned; interactive clients are public (SPA) app
 * registrations with admin consent to their scopes. Demo users are not created in Entra. The spec's resource secret
 * is not used: the MCP server validates Entra tokens as JWTs and needs no secret.
 *
 * <p>Failures: a Graph error other than throttling and replication delay stops the apply with
 * {@link ProvisioningException} naming the object, Graph's error code and message; what was applied stays.
 */
public final class EntraProvisioner implements Provisioner {

    /** In order: creates and updates run top-down, deletes bottom-up. */
    private static final List<Reconciler> RECONCILERS = List.of(new ApiApplicationReconciler(),
            new PermissionScopeReconciler(), new AppRoleReconciler(), new ClientApplicationReconciler(),
            new ServicePrincipalReconciler(), new ClientSecretReconciler(), new PermissionGrantReconciler(),
            new AppRoleAssignmentReconciler());

    private final GraphGateway graph;

    EntraProvisioner(GraphGateway graph) {
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

    @Override
    public Plan plan(TenantSpec tenant) {
        LiveTenant live = LiveTenant.read(graph, tenant);
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
        long writesBefore = graph.writes();
        TenantSpec spec = plan.tenant();
        ApplyContext context = new ApplyContext(graph, spec, secrets);
        List<Change> applied = new ArrayList<>();
        int index = 0;
        for (Change change : plan.changes()) {
            RECONCILERS.stream().filter(r -> r.handles(change, spec)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("not an Entra change: " + change))
                    .apply(change, spec, context);
            applied.add(change);
            listener.applied(++index, plan.changes().size(), change);
        }
        return new ApplyReport(spec.realm(), applied, graph.writes() - writesBefore, Duration.ofNanos(System.nanoTime() - start));
    }

    @Override
    public void close() {
        graph.close();
    }
}
