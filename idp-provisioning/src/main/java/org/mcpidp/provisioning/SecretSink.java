package org.mcpidp.provisioning;

/**
 * Where generated secrets go (a 0600 file in the CLI). The only place a secret value ever leaves the provisioner:
 * never stdout, never a log, never a plan.
 */
@FunctionalInterface
public interface SecretSink {

    void put(String name, String value);

    /** For plan-only callers and tests that do not care: secrets stay in the IdP. */
    static SecretSink discard() {
        return (name, value) -> {
        };
    }
}
