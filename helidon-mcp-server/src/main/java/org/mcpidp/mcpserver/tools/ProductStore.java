package org.mcpidp.mcpserver.tools;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The demo server's data: a small in-memory product catalogue, thread-safe, lost on restart. */
public final class ProductStore {

    private final Map<String, Product> products = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);

    /** An empty store. */
    public static ProductStore empty() {
        return new ProductStore();
    }

    /** A store with three example products. */
    public static ProductStore withSamples() {
        ProductStore store = new ProductStore();
        store.create("Keyboard", new BigDecimal("49.90"));
        store.create("Mouse", new BigDecimal("19.90"));
        store.create("Monitor", new BigDecimal("229.00"));
        return store;
    }

    public Product create(String name, BigDecimal price) {
        if (name.isBlank() || name.length() > 200) {
            throw new IllegalArgumentException("name must be 1 to 200 characters");
        }
        if (price.signum() < 0) {
            throw new IllegalArgumentException("price must not be negative");
        }
        Product product = new Product("p-" + nextId.getAndIncrement(), name.strip(), price);
        products.put(product.id(), product);
        return product;
    }

    /** Products ordered by id number. */
    public List<Product> list() {
        return products.values().stream()
                .sorted(Comparator.comparingLong(product -> Long.parseLong(product.id().substring(2))))
                .toList();
    }

    public Optional<Product> delete(String id) {
        return Optional.ofNullable(products.remove(id));
    }
}
