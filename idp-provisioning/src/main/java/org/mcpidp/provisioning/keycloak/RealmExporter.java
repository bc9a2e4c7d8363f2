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
        ObjectNode attributes = realm.putObject("attributes");
        attributes.put(Ownership.MANAGED_BY, spec.realm());
        if (!spec.users().isEmpty()) {
            attributes.put(Ownership.OWNED_USERS, Ownership.ledgerValue(new TreeSet<>(spec.users().stream().map(UserSpec::username).toList())));
        }
        DEFAULT_SCOPES.forEach(realm.putArray("defaultDefaultClientScopes")::add);
        realm.putArray("defaultOptionalClientScopes").add("offline_access");

        ArrayNode scopes = realm.putArray("clientScopes");
        builtInScopes().forEach(scopes::add);
        for (ScopeSpec scope : spec.scopes()) {
            ObjectNode node = scopes.addObject();
            node.put("name", scope.name());
            node.put("description", scope.description());
            node.put("protocol", "openid-connect");
            ObjectNode scopeAttributes = node.putObject("attributes");
            ClientScopeReconciler.attributes(spec, scope, java.util.Map.of()).entrySet().stream()
                    .sorted(java.util.Map.Entry.comparingByKey())
                    .forEach(e -> scopeAttributes.put(e.getKey(), e.getValue()));
            ArrayNode mappers = node.putArray("protocolMappers");
            for (ProtocolMapperRepresentation mapper : ClientScopeReconciler.mappers(spec)) {
                mappers.add(JSON.valueToTree(new MapperJson(mapper.getName(), mapper.getProtocol(),
                        mapper.getProtocolMapper(), new java.util.TreeMap<>(mapper.getConfig()))));
            }
        }

        ArrayNode realmRoles = realm.putObject("roles").putArray("realm");
        spec.roles().forEach(role -> {
            ObjectNode node = realmRoles.addObject();
            node.put("name", role.name());
            node.put("description", role.description());
            node.putObject("attributes").putArray(Ownership.MANAGED_BY).add(spec.realm());
        });

        ArrayNode clients = realm.putArray("clients");
        for (DesiredClient client : DesiredClient.all(spec)) {
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
            client.redirectUris().forEach(node.putArray("redirectUris")::add);
            client.webOrigins().forEach(node.putArray("webOrigins")::add);
            ObjectNode clientAttributes = node.putObject("attributes");
            clientAttributes.put(Ownership.MANAGED_BY, spec.realm());
            if (client.pkce()) {
                clientAttributes.put(DesiredClient.PKCE_ATTRIBUTE, "S256");
            }
            ArrayNode defaults = node.putArray("defaultClientScopes");
            DEFAULT_SCOPES.forEach(defaults::add);
            if (client.serviceAccounts()) {
                defaults.add("service_account");
            }
            ArrayNode optional = node.putArray("optionalClientScopes");
            optional.add("offline_access");
            client.optionalScopes().forEach(optional::add);
        }

        ArrayNode users = realm.putArray("users");
        for (ClientSpec agent : spec.clients()) {
            if (agent.type() == ClientSpec.Type.AGENT) {
                ObjectNode node = users.addObject();
                node.put("username", "service-account-" + agent.clientId());
                node.put("enabled", true);
                node.put("serviceAccountClientId", agent.clientId());
                agent.roles().forEach(node.putArray("realmRoles")::add);
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
            user.roles().forEach(node.putArray("realmRoles")::add);
        }
        try {
            DefaultPrettyPrinter printer = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
            return JSON.writer(printer).writeValueAsString(realm) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record MapperJson(String name, String protocol, String protocolMapper, java.util.Map<String, String> config) {
    }

    private static JsonNode builtInScopes() {
        try (InputStream in = RealmExporter.class.getResourceAsStream("builtin-client-scopes.json")) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
