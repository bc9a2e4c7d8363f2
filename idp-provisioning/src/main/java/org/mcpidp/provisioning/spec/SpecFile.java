package org.mcpidp.provisioning.spec;

import java.nio.file.Path;
import java.util.List;

/**
 * A loaded, validated spec file: one or more tenants.
 *
 * @param warnings what is valid but probably unintended (an open scope offered to people), located like errors
 */
public record SpecFile(Path source, List<TenantSpec> tenants, List<SpecError> warnings) {

    public SpecFile {
        tenants = List.copyOf(tenants);
        warnings = List.copyOf(warnings);
    }
}
