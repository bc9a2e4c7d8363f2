package org.mcpidp.provisioning.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.mcpidp.provisioning.Provisioner;
import org.mcpidp.provisioning.entra.EntraConnection;
import org.mcpidp.provisioning.entra.EntraProvisioner;
import org.mcpidp.provisioning.keycloak.KeycloakConnection;
import org.mcpidp.provisioning.keycloak.KeycloakProvisioner;
import org.mcpidp.provisioning.spec.InvalidSpecException;
import org.mcpidp.provisioning.spec.SpecError;
import org.mcpidp.provisioning.spec.SpecFile;
import org.mcpidp.provisioning.spec.SpecLoader;
import org.mcpidp.provisioning.spec.TargetRules;
import org.mcpidp.provisioning.spec.TenantSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code idp-provisioning validate|plan|apply|export}. Exit codes: 0 ok, 1 failed, 2 invalid input (spec or
 * arguments), 3 changes pending ({@code plan --detailed-exitcode}, like Terraform).
 */
@Command(name = "idp-provisioning", mixinStandardHelpOptions = true, version = "idp-provisioning 0.1.0",
        description = "Provisions MCP tenants (realm, scopes with audience mappers, clients, roles, users) in Keycloak, "
                + "or app registrations, permissions, secrets and consent in Microsoft Entra ID (--target entra), from a "
                + "tenant spec. Credentials come from the environment only. Keycloak: KEYCLOAK_ADMIN_CLIENT_ID + "
                + "KEYCLOAK_ADMIN_CLIENT_SECRET, or KEYCLOAK_ADMIN_USER + KEYCLOAK_ADMIN_PASSWORD (realm "
                + "KEYCLOAK_ADMIN_REALM, default master). Entra: ENTRA_TENANT_ID + ENTRA_CLIENT_ID + ENTRA_CLIENT_SECRET.",
        subcommands = {ValidateCommand.class, PlanCommand.class, ApplyCommand.class, ExportCommand.class,
                CommandLine.HelpCommand.class})
public final class ProvisioningCli {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int INVALID = 2;
    static final int DRIFT = 3;

    final Map<String, String> env;
    final Prompt prompt;
    /** How an Entra connection becomes a provisioner; tests put the local stand-ins' TLS trust here. */
    Function<EntraConnection, Provisioner> entra = EntraProvisioner::connect;
    PrintWriter out;
    PrintWriter err;

    ProvisioningCli(Map<String, String> env, Prompt prompt) {
        this.env = Map.copyOf(env);
        this.prompt = prompt;
    }

    public static void main(String[] args) {
        System.exit(execute(args, System.getenv(), Prompt.console(),
                new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    static int execute(String[] args, Map<String, String> env, Prompt prompt, PrintWriter out, PrintWriter err) {
        return execute(new ProvisioningCli(env, prompt), args, out, err);
    }

    static int execute(ProvisioningCli cli, String[] args, PrintWriter out, PrintWriter err) {
        cli.out = out;
        cli.err = err;
        CommandLine commandLine = new CommandLine(cli)
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if (e instanceof InvalidSpecException invalid) {
                        invalid.errors().forEach(error -> err.println(error));
                        err.println(invalid.errors().size() + " error(s); nothing was sent to the IdP.");
                        return INVALID;
                    }
                    if (e instanceof IllegalArgumentException) {
                        err.println("error: " + e.getMessage());
                        return INVALID;
                    }
                    // Never a stack trace with request bodies: just what failed.
                    err.println("error: " + e.getMessage());
                    return FAILED;
                });
        int code = commandLine.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * Loads and validates a spec, with the rules of the IdP target it is for; {@code realm} selects one tenant of a
     * multi-tenant file.
     */
    List<TenantSpec> tenants(Path file, Optional<String> realm, TargetRules rules)
            throws InvalidSpecException, java.io.IOException {
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new InvalidSpecException(List.of(new SpecError(file.toString(), 1, 1, "", "no such file")));
        }
        SpecFile spec = new SpecLoader(env, rules).load(file);
        List<TenantSpec> selected = realm.isEmpty() ? spec.tenants()
                : spec.tenants().stream().filter(t -> t.realm().equals(realm.get())).toList();
        // Warnings never fail a command: they go to stderr, where a CI log keeps them.
        spec.warnings().stream()
                .filter(w -> realm.isEmpty() || selected.stream().anyMatch(t -> w.field().startsWith(tenantPath(spec, t) + ".")))
                .forEach(w -> err.println("warning: " + w));
        if (realm.isEmpty()) {
            return selected;
        }
        if (selected.isEmpty()) {
            throw new IllegalArgumentException("no tenant with realm '" + realm.get() + "' in " + file);
        }
        return selected;
    }

    private static String tenantPath(SpecFile spec, TenantSpec tenant) {
        return "tenants[" + spec.tenants().indexOf(tenant) + "]";
    }

    String keycloakUrl(Optional<String> option) {
        return option.or(() -> Optional.ofNullable(env.get("KEYCLOAK_URL")).filter(s -> !s.isBlank()))
                .orElseThrow(() -> new IllegalArgumentException("no Keycloak URL: use --keycloak-url or set KEYCLOAK_URL"));
    }

    /** A provisioner for the chosen target and how to name that target in output. */
    record Connected(Provisioner provisioner, String where, TargetOptions.Target target) implements AutoCloseable {
        @Override
        public void close() {
            provisioner.close();
        }
    }

    Connected connect(TargetOptions options) {
        return switch (options.target) {
            case keycloak -> {
                String url = keycloakUrl(options.keycloakUrl);
                yield new Connected(KeycloakProvisioner.connect(KeycloakConnection.fromEnv(url, env)), url, options.target);
            }
            case entra -> {
                if (options.keycloakUrl.isPresent()) {
                    throw new IllegalArgumentException("--keycloak-url does not apply to --target entra");
                }
                EntraConnection connection = EntraConnection.fromEnv(env);
                yield new Connected(entra.apply(connection), "Entra tenant " + connection.tenantId() + " ("
                        + connection.graphBaseUrl() + ")", options.target);
            }
        };
    }

    /**
     * Entra has no place for the spec's demo users: say so instead of silently skipping them. On Keycloak, say for each
     * client of {@code people.clients} how it gets in and what a person enters in it.
     */
    void noteUnprovisionedUsers(Connected connected, TenantSpec tenant) {
        if (connected.target() == TargetOptions.Target.keycloak) {
            KeycloakProvisioner.peopleNotes(tenant).forEach(note -> out.println("Note: people.clients " + note));
        }
        if (connected.target() == TargetOptions.Target.entra && tenant.people().map(p -> !p.clients().isEmpty()).orElse(false)) {
            out.println("Note: people.clients (client profiles) are Keycloak-only here and are ignored for Entra ID, "
                    + "which has neither dynamic registration nor metadata documents.");
        }
        if (connected.target() == TargetOptions.Target.entra && !tenant.users().isEmpty()) {
            out.println("Note: the " + tenant.users().size() + " demo user(s) of " + tenant.realm() + " are not created in "
                    + "Entra ID; assign the app roles to real users of the tenant instead.");
        }
        if (connected.target() == TargetOptions.Target.entra && tenant.scopes().stream().anyMatch(s -> s.gated())) {
            out.println("Note: role-gated scopes (" + String.join(", ", tenant.scopes().stream().filter(s -> s.gated())
                    .map(s -> s.name()).toList()) + ") are app roles only in Entra ID, not delegated permissions: assign "
                    + "each to the users or groups that hold its roles (Enterprise applications > " + tenant.resource().clientId()
                    + " > Users and groups); user tokens then carry it in 'roles'.");
        }
        if (connected.target() == TargetOptions.Target.entra && tenant.roles().stream().anyMatch(r -> !r.includes().isEmpty())) {
            out.println("Note: Entra app roles have no composites: the agents' included roles are assigned one by one; a "
                    + "person or group given a role that includes others (" + String.join(", ", tenant.roles().stream()
                    .filter(r -> !r.includes().isEmpty()).map(r -> r.name() + " includes " + String.join(", ", r.includes()))
                    .toList()) + ") must be assigned those too.");
        }
    }
}
