package org.mcpidp.provisioning.spec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Cycles in a list of names that refer to others of the same list (a role's {@code includes}, a scope's
 * {@code implies}): each cycle is reported once, at the list entry of its first member (in spec order) that leads
 * back to it, with the whole cycle spelled out.
 */
final class Cycles {

    /** One declared name, its mapping and path, where the entry of its {@code key} list is pointed at. */
    record Declared(String name, Node.Mapping mapping, String path) {
    }

    private Cycles() {
    }

    /**
     * @param edges   name -> the names its {@code key} list refers to (declared ones only)
     * @param message the error for a cycle: its first name and the cycle ({@code a -> b -> a})
     */
    static void refuse(SpecReader in, List<Declared> declared, Map<String, List<String>> edges, String key,
                       BiFunction<String, String, String> message) {
        Set<String> reported = new HashSet<>();
        for (Declared d : declared) {
            String start = d.name();
            if (start == null || reported.contains(start) || !edges.containsKey(start)) {
                continue;
            }
            List<String> cycle = pathBack(start, edges);
            if (cycle.isEmpty()) {
                continue;
            }
            reported.addAll(cycle);
            // Point at the entry that starts the way back (its index in the list as written).
            Node.Entry entry = d.mapping().entries().get(key);
            Node at = entry.value();
            int first = 0;
            if (entry.value() instanceof Node.Sequence s) {
                for (int i = 0; i < s.items().size(); i++) {
                    if (s.items().get(i) instanceof Node.Scalar sc && cycle.get(1).equals(sc.text())) {
                        at = sc;
                        first = i;
                        break;
                    }
                }
            }
            in.error(at, d.path() + "." + key + "[" + first + "]", message.apply(start, String.join(" -> ", cycle)));
        }
    }

    /** The shortest {@code start -> ... -> start} through the edges, or empty when there is none. */
    static List<String> pathBack(String start, Map<String, List<String>> edges) {
        Map<String, String> parent = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        for (String next : edges.getOrDefault(start, List.of())) {
            if (next.equals(start)) {
                return List.of(start, start);
            }
            if (parent.putIfAbsent(next, start) == null) {
                queue.add(next);
            }
        }
        while (!queue.isEmpty()) {
            String name = queue.poll();
            for (String next : edges.getOrDefault(name, List.of())) {
                if (next.equals(start)) {
                    List<String> path = new ArrayList<>();
                    path.add(start);
                    for (String at = name; !at.equals(start); at = parent.get(at)) {
                        path.add(1, at);
                    }
                    path.add(start);
                    return path;
                }
                if (parent.putIfAbsent(next, name) == null) {
                    queue.add(next);
                }
            }
        }
        return List.of();
    }
}
