package org.mcpidp.provisioning.cli;

import java.io.PrintWriter;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.FieldChange;
import org.mcpidp.provisioning.Plan;

/**
 * Prints a plan like a diff: {@code +} create, {@code ~} update (old -> new), {@code -} delete, {@code !} an existing
 * object that is not this tool's and that apply refuses to take over (with {@code --adopt}: {@code ~}, adopting).
 */
final class PlanRenderer {

    private PlanRenderer() {
    }

    static void render(Plan plan, String target, PrintWriter out) {
        String realm = plan.tenant().realm();
        out.println("Realm " + realm + " at " + target + ":");
        plan.notes().forEach(note -> out.println("  note: " + note));
        if (!plan.hasChanges()) {
            out.println("  No changes. " + plan.unchanged() + " object(s) already match the spec.");
            return;
        }
        for (Change change : plan.changes()) {
            switch (change) {
                case Change.Create c -> {
                    out.println("  + " + c.type().label() + " " + c.name());
                    c.fields().forEach(f -> out.println("      " + f.field() + ": " + show(f.after())));
                }
                case Change.Update u -> {
                    if (!u.notOwned()) {
                        out.println("  ~ " + u.type().label() + " " + u.name());
                    } else if (plan.adopt()) {
                        out.println("  ~ " + u.type().label() + " " + u.name() + ": exists, not owned: adopting");
                    } else {
                        out.println("  ! " + u.type().label() + " " + u.name() + ": exists, not owned: refusing "
                                + "(apply --adopt takes it over)");
                    }
                    for (FieldChange f : u.fields()) {
                        out.println("      " + f.field() + ": " + show(f.before()) + " -> " + show(f.after()));
                    }
                }
                case Change.Delete d -> out.println("  - " + d.type().label() + " " + d.name());
            }
        }
        out.println("Plan for " + realm + ": " + summary(plan) + ".");
    }

    static String summary(Plan plan) {
        int notOwned = plan.notOwned().size();
        return plan.count(Change.Create.class) + " to create, " + plan.count(Change.Update.class) + " to update"
                + (notOwned == 0 ? "" : " (" + notOwned + " not owned: " + (plan.adopt() ? "adopting" : "refusing") + ")")
                + ", " + plan.count(Change.Delete.class) + " to delete, " + plan.unchanged() + " unchanged";
    }

    private static String show(String value) {
        return value.isEmpty() ? "(none)" : value;
    }
}
