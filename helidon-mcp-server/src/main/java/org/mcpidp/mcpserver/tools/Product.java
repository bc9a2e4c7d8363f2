package org.mcpidp.mcpserver.tools;

import java.math.BigDecimal;
import java.util.Objects;

/** A product of the demo store. */
public record Product(String id, String name, BigDecimal price) {
    public Product {
        Objects.requireNonNull(id);
        Objects.requireNonNull(name);
        Objects.requireNonNull(price);
    }
}
