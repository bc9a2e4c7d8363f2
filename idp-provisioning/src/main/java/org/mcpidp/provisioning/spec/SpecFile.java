package org.mcpidp.provisioning.spec;

import java.nio.file.Path;
import java.util.List;

/** A loaded, validated spec file: one or more tenants. */
public record SpecFile(Path source, List<TenantSpec> tenants) {

    public SpecFile {
        tenants = List.copyOf(tenants);
    }
}
