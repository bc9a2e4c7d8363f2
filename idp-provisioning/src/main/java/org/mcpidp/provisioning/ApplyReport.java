package org.mcpidp.provisioning;

import java.time.Duration;
import java.util.List;

/**
 * What {@code apply} did.
 *
 * @param applied the changes executed, in order (all of the plan's when apply returns normally)
 * @param writes  admin API write calls made (POST/PUT/DELETE); 0 for an unchanged spec
 */
public record ApplyReport(String realm, List<Change> applied, long writes, Duration took) {

    public ApplyReport {
        applied = List.copyOf(applied);
    }
}
