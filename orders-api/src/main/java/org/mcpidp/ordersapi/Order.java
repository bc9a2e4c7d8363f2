package org.mcpidp.ordersapi;

import java.util.List;

/** One demo order. */
public record Order(String id, String item, int quantity, String status) {

    /** The orders every caller sees: the demo is about who may read them, not about the data. */
    static final List<Order> DEMO = List.of(
            new Order("ord-1001", "Espresso beans, 1 kg", 2, "shipped"),
            new Order("ord-1002", "Milk frother", 1, "processing"),
            new Order("ord-1003", "Ceramic cups, set of 6", 1, "delivered"));
}
