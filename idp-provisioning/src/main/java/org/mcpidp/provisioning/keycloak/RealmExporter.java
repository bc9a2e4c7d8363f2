package org.mcpidp.provisioning.keycloak;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.TreeSet;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.mcpidp.provisioning.spec.ClientSpec;
import org.mcpidp.provisioning.spec.PeopleSpec;
import org.mcpidp.provisioning.spec.RegistrationSpec;
import org.mcpidp.provisioning.spec.ScopeSpec;
import org.mcpidp.provisioning.spec.TenantSpec;
import org.mcpidp.provisioning.spec.UserSpec;

/**
 * Writes a tenant as a realm JSON for Keycloak's {@code --import-realm} (docker compose, realm-exports/). Same
 * objects and ownership markers as {@code apply} creates, so a plan against an imported realm is (nearly) empty.
 *
 * <p>A realm file that lists {@code clientScopes} replaces Keycloak's built-in scopes, so the built-ins clients need
 * (captured from Keycloak 26.7.3) are written too. Secrets are {@code ${ENV}} placeholders that Keycloak substitutes
 * from its environment at import; no secret value is ever written. The output is deterministic (sorted, stable
 * indentation) so the checked-in export can be compared byte for byte.
 */
public final class RealmExporter {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Keycloak's representation classes leave unset fields null; the realm file should not list them. */
    private static final ObjectMapper NON_NULL = new ObjectMapper()
            .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);
    private static final List<String> DEFAULT_SCOPES = List.of("acr", "basic", "email", "profile", "roles", "web-origins");

    private RealmExporter() {
    }

    public static String export(TenantSpec spec) {
        ObjectNode realm = JSON.createObjectNode();
        realm.put("realm", spec.realm());
        realm.put("enabled", true);
        if (!spec.displayName().isEmpty()) {
            realm.put("displayName", spec.displayName());
        }
        realm.put("accessTokenLifespan", spec.accessTokenLifespan().toSeconds());
        spec.people().flatMap(PeopleSpec::sessionIdle).ifPresent(d -> realm.put("ssoSessionIdleTimeout", d.toSeconds()));
        spec.people().flatMap(PeopleSpec::sessionMax).ifPresent(d -> realm.put("ssoSessionMaxLifespan", d.toSeconds()));
        ObjectNode attributes = realm.putObject("attributes");
        Ownership.marker(spec.realm()).forEach(attributes::put);
        if (!spec.users().isEmpty()) {
            attributes.put(Ownership.OWNED_USERS, Ownership.ledgerValue(new TreeSet<>(spec.users().stream().map(UserSpec::username).toList())));
        }
        if (spec.registration().dynamic().isPresent()) {
            attributes.put(RegistrationPolicyReconciler.MARKER, spec.realm());
        }
        if (PeopleSessionReconciler.wanted(spec)) {
            attributes.put(PeopleSessionReconciler.MARKER, spec.realm());
        }
        DEFAULT_SCOPES.forEach(realm.putArray("defaultDefaultClientScopes")::add);
        ArrayNode defaultOptional = realm.putArray("defaultOptionalClientScopes");
        // While clients register themselves (or come with a metadata document), offline_access is a realm default
        // optional scope only if the spec says so.
        if (PeopleClients.offlineAccessOffered(spec)) {
            defaultOptional.add(RegistrationPolicyReconciler.OFFLINE_ACCESS);
        }
        if (ClientScopeReconciler.realmDefault(spec)) {
            spec.scopes().forEach(s -> defaultOptional.add(s.name()));
        }

        ArrayNode scopes = realm.putArray("clientScopes");
        for (JsonNode builtIn : builtInScopes()) {
            ObjectNode copy = ((ObjectNode) builtIn).deepCopy();
            // Not offered, not advertised: clients that add offline_access when discovery lists it would be refused.
            if (PeopleClients.OFFLINE_ACCESS.equals(copy.path("name").asText()) && PeopleSessionReconciler.wanted(spec)
                    && !PeopleClients.offlineAccessOffered(spec)) {
                ((ObjectNode) copy.path("attributes")).put(PeopleSessionReconciler.IN_DISCOVERY, "false");
            }
            scopes.add(copy);
        }
        for (ScopeSpec scope : spec.scopes()) {
            scope(scopes, scope.name(), scope.description(), ClientScopeReconciler.attributes(spec, scope, java.util.Map.of()),
                    ClientScopeReconciler.mappers(spec, scope));
        }
        for (DownstreamScopes.Wanted scope : DownstreamScopes.all(spec).values()) {
            scope(scopes, scope.name(), scope.description(), DownstreamScopeReconciler.attributes(spec, scope, java.util.Map.of()),
                    scope.audience().isEmpty() ? List.of() : List.of(DownstreamScopeReconciler.mapper(scope.audience())));
        }

        // Role scope mappings: Keycloak leaves a scope out of tokens of users/service accounts holding none of them.
        java.util.List<DownstreamScopes.Wanted> gatedDownstream = DownstreamScopes.all(spec).values().stream()
                .filter(s -> !s.roles().isEmpty()).toList();
        if (spec.scopes().stream().anyMatch(ScopeSpec::gated) || !gatedDownstream.isEmpty()) {
            ArrayNode scopeMappings = realm.putArray("scopeMappings");
            spec.scopes().stream().filter(ScopeSpec::gated).forEach(scope -> {
                ObjectNode mapping = scopeMappings.addObject();
                mapping.put("clientScope", scope.name());
                scope.roles().forEach(mapping.putArray("roles")::add);
            });
            gatedDownstream.forEach(scope -> {
                ObjectNode mapping = scopeMappings.addObject();
                mapping.put("clientScope", scope.name());
                scope.roles().forEach(mapping.putArray("roles")::add);
            });
        }

        ArrayNode realmRoles = realm.putObject("roles").putArray("realm");
        spec.roles().forEach(role -> {
            ObjectNode node = realmRoles.addObject();
            node.put("name", role.name());
            node.put("description", role.description());
            ObjectNode roleAttributes = node.putObject("attributes");
            Ownership.roleMarker(spec.realm()).forEach((key, values) -> values.forEach(roleAttributes.putArray(key)::add));
        });

        ArrayNode clients = realm.putArray("clients");
        // The export has no server to ask for features: it writes the scheme every Keycloak has.
        for (DesiredClient client : DesiredClient.all(spec, AudienceScheme.AUDIENCE_MAPPERS)) {
            ObjectNode node = clients.addObject();
            node.put("clientId", client.clientId());
            node.put("description", client.description());
            node.put("enabled", true);
            node.put("protocol", "openid-connect");
            node.put("publicClient", client.publicClient());
            node.put("clientAuthenticatorType", "client-secret");
            client.secret().ifPresent(secret -> node.put("secret", "${" + secret.envName() + "}"));
            node.put("standardFlowEnabled", client.standardFlow());
            node.put("implicitFlowEnabled", false);
            node.put("directAccessGrantsEnabled", false);
            node.put("serviceAccountsEnabled", client.serviceAccounts());
            node.put("fullScopeAllowed", false);
            client.redirectUris().forEach(node.putArray("redirectUris")::add);
            client.webOrigins().forEach(node.putArray("webOrigins")::add);
            ObjectNode clientAttributes = node.putObject("attributes");
            Ownership.marker(spec.realm()).forEach(clientAttributes::put);
            if (client.pkce()) {
                clientAttributes.put(DesiredClient.PKCE_ATTRIBUTE, "S256");
            }
            if (client.tokenExchange()) {
                clientAttributes.put(DesiredClient.TOKEN_EXCHANGE_ATTRIBUTE, "true");
            }
            ArrayNode defaults = node.putArray("defaultClientScopes");
            DEFAULT_SCOPES.forEach(defaults::add);
            if (client.serviceAccounts()) {
                defaults.add("service_account");
            }
            client.defaultScopes().forEach(defaults::add);
            ArrayNode optional = node.putArray("optionalClientScopes");
            // Keycloak gives every client offline_access; a profile client has it only when people may keep it.
            if (!PeopleClients.isProfileClient(spec, client.clientId())) {
                optional.add("offline_access");
            }
            client.optionalScopes().forEach(optional::add);
        }

        ArrayNode users = realm.putArray("users");
        for (ClientSpec agent : spec.clients()) {
            if (agent.type() == ClientSpec.Type.AGENT) {
                ObjectNode node = users.addObject();
                node.put("username", "service-account-" + agent.clientId());
                node.put("enabled", true);
                node.put("serviceAccountClientId", agent.clientId());
                spec.effectiveRoles(agent.roles()).forEach(node.putArray("realmRoles")::add);
            }
        }
        for (UserSpec user : spec.users()) {
            ObjectNode node = users.addObject();
            node.put("username", user.username());
            node.put("enabled", true);
            if (!user.email().isEmpty()) {
                node.put("email", user.email());
            }
            node.put("emailVerified", !user.email().isEmpty());
            node.put("firstName", user.firstName());
            node.put("lastName", user.lastName());
            ObjectNode credential = node.putArray("credentials").addObject();
            credential.put("type", "password");
            credential.put("value", "${" + user.password().envName() + "}");
            credential.put("temporary", false);
            spec.effectiveRoles(user.roles()).forEach(node.putArray("realmRoles")::add);
        }
        spec.registration().dynamic().ifPresent(dynamic -> registrationPolicies(spec, dynamic, realm));
        if (spec.registration().dynamic().isPresent() || PeopleClients.anyMetadataDocuments(spec)
                || !spec.downstream().isEmpty() || spec.servers().size() > 1) {
            ArrayNode profiles = realm.putObject("clientProfiles").putArray("profiles");
            ArrayNode policies = realm.putObject("clientPolicies").putArray("policies");
            // The CIMD pair is EXPERIMENTAL in Keycloak 26.7.3: import it only into a Keycloak started with --features=cimd.
            List<OwnedClientPolicyReconciler> pairs = new java.util.ArrayList<>(List.of(new RegistrationPkcePolicyReconciler(),
                    new RegistrationRedirectsPolicyReconciler(), new ClientPolicyReconciler()));
            pairs.addAll(ProfilePolicyReconciler.all());
            pairs.add(new ExchangePolicyReconciler());
            for (OwnedClientPolicyReconciler owned : pairs) {
                owned.wanted(spec).ifPresent(pair -> {
                    profiles.add(NON_NULL.valueToTree(pair.profile()));
                    policies.add(NON_NULL.valueToTree(pair.policy()));
                });
            }
            List<org.keycloak.representations.idm.ClientPolicyRepresentation> oneServer = OneServerPolicyReconciler.wanted(spec);
            if (!oneServer.isEmpty()) {
                profiles.add(NON_NULL.valueToTree(OneServerPolicyReconciler.profile(spec.realm())));
                oneServer.forEach(policy -> policies.add(NON_NULL.valueToTree(policy)));
            }
        }
        try {
            DefaultPrettyPrinter printer = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
            return JSON.writer(printer).writeValueAsString(realm) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A realm file with any client registration policy replaces Keycloak's whole default set, so all of them are
     * written: Keycloak 26.7.3's defaults (captured from a new realm) with the anonymous ones this tool manages set.
     */
    private static void registrationPolicies(TenantSpec spec, RegistrationSpec.Dynamic dynamic, ObjectNode realm) {
        java.util.Map<String, java.util.Map<String, List<String>>> managed = RegistrationPolicyReconciler.open(spec, dynamic);
        ArrayNode policies = realm.putObject("components").putArray(RegistrationPolicyReconciler.POLICY_TYPE);
        for (JsonNode builtIn : resource("builtin-registration-policies.json")) {
            ObjectNode policy = ((ObjectNode) builtIn).deepCopy();
            java.util.Map<String, List<String>> config = "anonymous".equals(policy.path("subType").asText())
                    ? managed.get(policy.path("providerId").asText()) : null;
            if (config != null) {
                ObjectNode merged = (ObjectNode) policy.path("config");
                new java.util.TreeMap<>(config).forEach((key, values) -> {
                    ArrayNode list = merged.putArray(key);
                    values.forEach(list::add);
                });
                java.util.List<String> keys = new java.util.ArrayList<>();
                merged.fieldNames().forEachRemaining(keys::add);
                ObjectNode sorted = JSON.createObjectNode();
                keys.stream().sorted().forEach(k -> sorted.set(k, merged.get(k)));
                policy.set("config", sorted);
            }
            policies.add(policy);
        }
    }

    /** A client scope as the realm file holds it: attributes and mapper configs sorted, so exports diff cleanly. */
    private static void scope(ArrayNode scopes, String name, String description, java.util.Map<String, String> attributes,
                              List<ProtocolMapperRepresentation> mappers) {
        ObjectNode node = scopes.addObject();
        node.put("name", name);
        node.put("description", description);
        node.put("protocol", "openid-connect");
        ObjectNode scopeAttributes = node.putObject("attributes");
        attributes.entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> scopeAttributes.put(e.getKey(), e.getValue()));
        ArrayNode mapperNodes = node.putArray("protocolMappers");
        for (ProtocolMapperRepresentation mapper : mappers) {
            mapperNodes.add(JSON.valueToTree(new MapperJson(mapper.getName(), mapper.getProtocol(),
                    mapper.getProtocolMapper(), new java.util.TreeMap<>(mapper.getConfig()))));
        }
    }

    private record MapperJson(String name, String protocol, String protocolMapper, java.util.Map<String, String> config) {
    }

    private static JsonNode builtInScopes() {
        return resource("builtin-client-scopes.json");
    }

    private static JsonNode resource(String name) {
        try (InputStream in = RealmExporter.class.getResourceAsStream(name)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
