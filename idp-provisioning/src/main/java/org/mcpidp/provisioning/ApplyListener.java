package org.mcpidp.provisioning;

/** Progress of an apply: called after each change succeeded. */
@FunctionalInterface
public interface ApplyListener {

    void applied(int index, int total, Change change);

    static ApplyListener silent() {
        return (index, total, change) -> {
        };
    }
}
