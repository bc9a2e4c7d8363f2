package org.mcpidp.provisioning.spec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A tenant's {@code people}: the MCP clients its people run ({@link ClientProfile} names), how long their sign-ins
 * last, and whether clients the spec does not declare may keep one beyond the session ({@link PeopleSpec}).
 *
 * <p>Two things reach into {@code registration}: a client that registers itself (the MCP Inspector) turns on
 * dynamic registration with loopback redirects when the spec has none, and adds the host of its home page
 * ({@code client_uri}) to the home page hosts; and {@code offlineAccess} is one decision,
 * so {@code people.offlineAccess} and {@code registration.dynamic.offlineAccess} may not say different things.
 */
final class PeopleBinder {

    /** What the people section yields: itself, and the registration it needs (the given one, or one it turned on). */
    record Bound(Optional<PeopleSpec> people, RegistrationSpec registration) {
    }

    private static final Duration MIN_SESSION = Duration.ofMinutes(1);

    private PeopleBinder() {
    }

    /** @param clientIds the tenant's client ids so far: a pre-registered profile client may not take one of them */
    static Bound bind(SpecReader in, Node.Mapping tenant, String path, Set<String> clientIds,
                      RegistrationSpec registration, Duration accessTokenLifespan) {
        Node.Entry entry = tenant.entries().get("people");
        if (entry == null) {
            return new Bound(Optional.empty(), registration);
        }
        String p = path + ".people";
        Node.Mapping m = in.mapping(entry.value(), p).orElse(null);
        if (m == null) {
            return new Bound(Optional.empty(), registration);
        }
        in.fields(m, p, Set.of("clients", "sessionIdle", "sessionMax", "offlineAccess"));
        List<ClientProfile> clients = clients(in, m, p, clientIds);
        Optional<Duration> idle = in.optional(m, "sessionIdle", p).flatMap(v -> in.duration(m, "sessionIdle", p, v,
                MIN_SESSION, Duration.ofDays(30), "1m and 30d (e.g. 30m, 8h)"));
        Optional<Duration> max = in.optional(m, "sessionMax", p).flatMap(v -> in.duration(m, "sessionMax", p, v,
                MIN_SESSION, Duration.ofDays(365), "1m and 365d (e.g. 10h, 7d)"));
        if (idle.isPresent() && max.isPresent() && idle.get().compareTo(max.get()) > 0) {
            in.error(m.entries().get("sessionIdle").value(), p + ".sessionIdle", "a sign-in cannot stay idle longer ("
                    + text(idle.get()) + ") than it may last at all (sessionMax " + text(max.get()) + ")");
        }
        Optional<Duration> shortest = idle.isPresent() ? idle : max;
        if (shortest.isPresent() && accessTokenLifespan.compareTo(shortest.get()) > 0) {
            in.warn(m.entries().get(idle.isPresent() ? "sessionIdle" : "sessionMax").value(), p, "accessTokenLifespan "
                    + text(accessTokenLifespan) + " is longer than the sign-in (" + text(shortest.get()) + "): a token "
                    + "stays valid after the person's session has ended");
        }
        boolean offline = offlineAccess(in, m, p, tenant, path, registration);
        RegistrationSpec effective = registration;
        if (clients.stream().anyMatch(c -> c.registration() == ClientProfile.Registration.DYNAMIC)
                || registration.dynamic().isPresent()) {
            effective = dynamicFor(in, m, p, clients, registration, offline);
        }
        return new Bound(Optional.of(new PeopleSpec(clients, idle, max, offline)), effective);
    }

    private static List<ClientProfile> clients(SpecReader in, Node.Mapping m, String p, Set<String> clientIds) {
        List<ClientProfile> clients = new ArrayList<>();
        in.each(m, "clients", p, (item, ip) -> in.scalar(item, ip).ifPresent(name -> {
            Optional<ClientProfile> profile = ClientProfile.named(name);
            if (profile.isEmpty()) {
                in.error(item, ip, "unknown client '" + name + "' (known: " + ClientProfile.knownNames() + ")");
            } else if (clients.contains(profile.get())) {
                in.error(item, ip, "client '" + name + "' is listed twice");
            } else {
                profile.get().clientId().ifPresent(id -> {
                    if (!clientIds.add(id)) {
                        in.error(item, ip, name + " is pre-registered as client '" + id + "', which this tenant already "
                                + "uses: rename that client or leave " + name + " out");
                    }
                });
                clients.add(profile.get());
            }
        }));
        return clients;
    }

    /**
     * {@code people.offlineAccess}, which decides for every client the spec does not declare; when only
     * {@code registration.dynamic.offlineAccess} is given, that decides. Off unless one of them says true.
     */
    private static boolean offlineAccess(SpecReader in, Node.Mapping m, String p, Node.Mapping tenant, String path,
                                         RegistrationSpec registration) {
        Optional<String> text = in.optional(m, "offlineAccess", p);
        Optional<Boolean> given = Optional.empty();
        if (text.isPresent()) {
            if (text.get().equals("true") || text.get().equals("false")) {
                given = Optional.of(Boolean.parseBoolean(text.get()));
            } else {
                in.error(m.entries().get("offlineAccess").value(), p + ".offlineAccess",
                        "'" + text.get() + "' is not true or false");
            }
        }
        boolean dynamicSays = dynamicOfflineAccessGiven(tenant);
        if (given.isPresent() && dynamicSays && registration.dynamic().isPresent()
                && registration.dynamic().get().offlineAccess() != given.get()) {
            in.error(m.entries().get("offlineAccess").value(), p + ".offlineAccess", "people.offlineAccess is " + given.get()
                    + " but " + path + ".registration.dynamic.offlineAccess is " + registration.dynamic().get().offlineAccess()
                    + ": it is one decision, say it once (people.offlineAccess)");
        }
        return given.orElse(registration.dynamic().map(RegistrationSpec.Dynamic::offlineAccess).orElse(false));
    }

    private static boolean dynamicOfflineAccessGiven(Node.Mapping tenant) {
        return tenant.entries().get("registration") != null
                && tenant.entries().get("registration").value() instanceof Node.Mapping r
                && r.entries().get("dynamic") != null
                && r.entries().get("dynamic").value() instanceof Node.Mapping d
                && d.entries().containsKey("offlineAccess");
    }

    /**
     * Dynamic registration as people need it: the spec's own (its offline_access as people decided), which must let
     * the redirects of a client that registers itself through, or loopback-only registration turned on for one.
     */
    private static RegistrationSpec dynamicFor(SpecReader in, Node.Mapping m, String p, List<ClientProfile> clients,
                                               RegistrationSpec registration, boolean offline) {
        if (registration.dynamic().isEmpty()) {
            return new RegistrationSpec(Optional.of(new RegistrationSpec.Dynamic(RegistrationSpec.Dynamic.LOOPBACK,
                    RegistrationSpec.Dynamic.DEFAULT_MAX_CLIENTS, offline, homePageHosts(List.of(), clients))),
                    registration.clientIdMetadataDocuments());
        }
        RegistrationSpec.Dynamic dynamic = registration.dynamic().get();
        for (ClientProfile client : clients) {
            if (client.registration() != ClientProfile.Registration.DYNAMIC) {
                continue;
            }
            List<String> hosts = client.redirectUris().stream().map(u -> java.net.URI.create(u).getHost()).distinct()
                    .filter(h -> !dynamic.trustedHosts().contains(h)).toList();
            if (!hosts.isEmpty()) {
                in.error(m.entries().get("clients").value(), p + ".clients", client.specName() + " registers itself with "
                        + "redirect URIs on " + String.join(", ", hosts) + ": add " + (hosts.size() == 1 ? "it" : "them")
                        + " to registration.dynamic.trustedHosts");
            }
        }
        return new RegistrationSpec(Optional.of(new RegistrationSpec.Dynamic(dynamic.trustedHosts(), dynamic.maxClients(),
                offline, homePageHosts(dynamic.homePageHosts(), clients))), registration.clientIdMetadataDocuments());
    }

    /** The spec's home page hosts, then those of the self-registering clients people run, each once. */
    private static List<String> homePageHosts(List<String> given, List<ClientProfile> clients) {
        List<String> hosts = new ArrayList<>(given);
        clients.stream().filter(c -> c.registration() == ClientProfile.Registration.DYNAMIC)
                .flatMap(c -> c.homePageHosts().stream()).filter(h -> !hosts.contains(h)).forEach(hosts::add);
        return hosts;
    }

    private static String text(Duration d) {
        long s = d.toSeconds();
        if (s % 86400 == 0) {
            return s / 86400 + "d";
        }
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }
}
