package org.mcpidp.provisioning.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.mcpidp.provisioning.ApplyListener;
import org.mcpidp.provisioning.ApplyReport;
import org.mcpidp.provisioning.NotOwnedException;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.Plan;
import org.mcpidp.provisioning.Provisioner;
import org.mcpidp.provisioning.SecretSink;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * The one plan/apply loop every target runs: plan asks each reconciler in order (creates and updates top-down,
 * deletes bottom-up, so each change only needs what earlier ones created and nothing is deleted while something
 * still refers to it); apply executes exactly the plan's changes in order, each by the reconciler that handles it.
 * A target's provisioner extends it with its {@link Target} and reconcilers, and adds only what is its own (how to
 * connect, its write counter).
 */
public class PlanEngine<L, C> implements Provisioner {

    private final Target<L, C> target;
    private final List<Reconciler<L, C>> reconcilers;

    protected PlanEngine(Target<L, C> target, List<? extends Reconciler<L, C>> reconcilers) {
        this.target = target;
        this.reconcilers = List.copyOf(reconcilers);
    }

    @Override
    public final Plan plan(TenantSpec tenant) {
        L live = target.read(tenant);
        List<Change> changes = new ArrayList<>();
        List<List<Change>> deletes = new ArrayList<>();
        int unchanged = 0;
        for (Reconciler<L, C> reconciler : reconcilers) {
            Diff diff = reconciler.plan(tenant, live);
            changes.addAll(diff.upserts());
            deletes.add(0, diff.deletes());
            unchanged += diff.unchanged();
        }
        deletes.forEach(changes::addAll);
        return new Plan(tenant, changes, unchanged, target.notes(tenant, live));
    }

    /** @throws NotOwnedException before any write when the plan takes over objects it does not adopt */
    @Override
    public final ApplyReport apply(Plan plan, SecretSink secrets, ApplyListener listener) {
        if (!plan.refused().isEmpty()) {
            throw new NotOwnedException(plan);
        }
        long start = System.nanoTime();
        long writesBefore = target.writes();
        TenantSpec spec = plan.tenant();
        C context = target.context(spec, secrets);
        List<Change> applied = new ArrayList<>();
        for (Change change : plan.changes()) {
            reconciler(change, spec).apply(change, spec, context);
            applied.add(change);
            listener.applied(applied.size(), plan.changes().size(), change);
        }
        target.afterApply(spec, context);
        return new ApplyReport(spec.realm(), applied, target.writes() - writesBefore,
                Duration.ofNanos(System.nanoTime() - start));
    }

    private Reconciler<L, C> reconciler(Change change, TenantSpec spec) {
        return reconcilers.stream().filter(r -> r.handles(change, spec)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no reconciler of this target handles " + change));
    }

    @Override
    public final void close() {
        target.close();
    }
}
