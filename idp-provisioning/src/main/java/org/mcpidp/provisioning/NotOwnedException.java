package org.mcpidp.provisioning;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Apply refused a plan before its first write: it would take over objects that exist under the spec's names but were
 * not made by this tool for the tenant ({@link Plan#refused()}). The message names each of them and the ways on.
 */
public final class NotOwnedException extends ProvisioningException {

    private final transient List<Change.Update> refused;

    public NotOwnedException(Plan plan) {
        super(message(plan));
        this.refused = plan.refused();
    }

    public List<Change.Update> refused() {
        return refused;
    }

    private static String message(Plan plan) {
        List<Change.Update> refused = plan.refused();
        String names = refused.stream().map(c -> c.type().label() + " '" + c.name() + "'")
                .collect(Collectors.joining(", "));
        boolean one = refused.size() == 1;
        return "realm " + plan.tenant().realm() + ": refusing to take over " + names + ": " + (one ? "it exists" : "they exist")
                + " but " + (one ? "was" : "were") + " not created by idp-provisioning for this tenant (no ownership "
                + "marker). Nothing was changed. Either give " + (one ? "it" : "them") + " another name in the spec, "
                + "remove or rename the existing " + (one ? "one" : "ones") + " in the IdP, or run apply with --adopt "
                + "to take ownership: " + (one ? "it is" : "they are") + " then marked as this tenant's, brought to the "
                + "spec, and deleted once " + (one ? "it leaves" : "they leave") + " the spec.";
    }
}
