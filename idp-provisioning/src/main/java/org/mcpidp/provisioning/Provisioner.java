package org.mcpidp.provisioning;

import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * Brings one IdP tenant to the state a {@link TenantSpec} describes.
 *
 * <p>{@link #plan} only reads. {@link #apply} executes exactly the plan's changes in order and makes no other
 * writes; an unchanged spec therefore costs zero writes. Only objects this tool created for the tenant are ever
 * deleted, and an existing object it does not own is never taken over unless the plan adopts it ({@link Plan#adopting()};
 * otherwise apply throws {@link NotOwnedException} before its first write). If a change fails, apply stops and throws
 * {@link ProvisioningException}; what was applied stays, and a new plan picks up from there.
 */
public interface Provisioner extends AutoCloseable {

    Plan plan(TenantSpec tenant);

    ApplyReport apply(Plan plan, SecretSink secrets, ApplyListener listener);

    @Override
    void close();
}
