package org.mcpidp.provisioning.spec;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A tenant's {@code registration}: which clients may register themselves ({@link RegistrationSpec}): RFC 7591
 * dynamic registration (trusted hosts, a client limit, whether they may get {@code offline_access}, hosts their home
 * pages may be on) and OAuth Client
 * ID Metadata Documents (allowed domains).
 */
final class RegistrationBinder {

    private RegistrationBinder() {
    }

    static RegistrationSpec bind(SpecReader in, Node.Mapping tenant, String path) {
        Node.Entry entry = tenant.entries().get("registration");
        if (entry == null) {
            return RegistrationSpec.none();
        }
        String p = path + ".registration";
        Node.Mapping r = in.mapping(entry.value(), p).orElse(null);
        if (r == null) {
            return RegistrationSpec.none();
        }
        in.fields(r, p, Set.of("dynamic", "clientIdMetadataDocuments"));
        return new RegistrationSpec(dynamic(in, r, p), clientIdMetadataDocuments(in, r, p));
    }

    private static Optional<RegistrationSpec.Dynamic> dynamic(SpecReader in, Node.Mapping r, String p) {
        Optional<RegistrationSpec.Dynamic> dynamic = Optional.empty();
        Node.Entry d = r.entries().get("dynamic");
        if (d != null) {
            String dp = p + ".dynamic";
            Node.Mapping dm = d.value() instanceof Node.Scalar s && s.text() == null ? new Node.Mapping(Map.of(), s.line(), s.column())
                    : in.mapping(d.value(), dp).orElse(null);
            if (dm != null) {
                in.fields(dm, dp, Set.of("trustedHosts", "maxClients", "offlineAccess", "homePageHosts"));
                List<String> hosts = dm.entries().containsKey("trustedHosts") ? in.hosts(dm, "trustedHosts", dp, false)
                        : RegistrationSpec.Dynamic.LOOPBACK;
                if (hosts.isEmpty() && dm.entries().containsKey("trustedHosts")) {
                    in.error(dm.entries().get("trustedHosts").value(), dp + ".trustedHosts",
                            "at least one host is required (leave the field out for loopback only)");
                }
                int max = RegistrationSpec.Dynamic.DEFAULT_MAX_CLIENTS;
                Optional<String> maxText = in.optional(dm, "maxClients", dp);
                if (maxText.isPresent()) {
                    if (maxText.get().matches("\\d{1,6}") && Integer.parseInt(maxText.get()) >= 1) {
                        max = Integer.parseInt(maxText.get());
                    } else {
                        in.error(dm.entries().get("maxClients").value(), dp + ".maxClients",
                                "'" + maxText.get() + "' is not a number of clients between 1 and 999999");
                    }
                }
                boolean offline = false;
                Optional<String> offlineText = in.optional(dm, "offlineAccess", dp);
                if (offlineText.isPresent()) {
                    if (offlineText.get().equals("true") || offlineText.get().equals("false")) {
                        offline = Boolean.parseBoolean(offlineText.get());
                    } else {
                        in.error(dm.entries().get("offlineAccess").value(), dp + ".offlineAccess",
                                "'" + offlineText.get() + "' is not true or false");
                    }
                }
                List<String> homePages = dm.entries().containsKey("homePageHosts")
                        ? in.hosts(dm, "homePageHosts", dp, false) : List.of();
                dynamic = Optional.of(new RegistrationSpec.Dynamic(hosts, max, offline, homePages));
            }
        }
        return dynamic;
    }

    private static Optional<RegistrationSpec.ClientIdMetadataDocuments> clientIdMetadataDocuments(SpecReader in,
                                                                                               Node.Mapping r, String p) {
        Optional<RegistrationSpec.ClientIdMetadataDocuments> cimd = Optional.empty();
        Node.Entry c = r.entries().get("clientIdMetadataDocuments");
        if (c != null) {
            String cp = p + ".clientIdMetadataDocuments";
            Node.Mapping cm = in.mapping(c.value(), cp).orElse(null);
            if (cm != null) {
                in.fields(cm, cp, Set.of("allowedDomains"));
                if (!cm.entries().containsKey("allowedDomains")) {
                    in.error(cm, cp, "missing required field 'allowedDomains' (Keycloak accepts no client id URL without it)");
                } else {
                    List<String> domains = in.hosts(cm, "allowedDomains", cp, true);
                    if (domains.isEmpty()) {
                        in.error(cm.entries().get("allowedDomains").value(), cp + ".allowedDomains", "at least one domain is required");
                    }
                    cimd = Optional.of(new RegistrationSpec.ClientIdMetadataDocuments(domains));
                }
            }
        }
        return cimd;
    }
}
