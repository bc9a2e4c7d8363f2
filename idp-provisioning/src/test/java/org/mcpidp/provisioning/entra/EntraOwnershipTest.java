package org.mcpidp.provisioning.entra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mcpidp.provisioning.engine.Owner;

/** The Entra marker's forms, read back as they are written (the stand-in scenarios run them against Graph's format). */
class EntraOwnershipTest {

    private static JsonNode app(String... tags) {
        ObjectNode app = GraphGateway.object();
        for (String tag : tags) {
            app.withArray("tags").add(tag);
        }
        return app;
    }

    @Test
    void whenAnAppIsMarkedThenItIsTheTenantsAndTagsOthersGaveItStay() {
        ObjectNode body = GraphGateway.object();

        EntraOwnership.mark(body, app("team:payments"), "mcp-demo");

        assertThat(EntraFields.strings(body.path("tags"))).containsExactly("team:payments", "mcpidp:managed-by:mcp-demo");
        assertThat(EntraOwnership.of(Optional.of(body), "mcp-demo")).isEqualTo(new Owner.This("mcp-demo"));
    }

    @Test
    void whenAnAppIsMarkedTwiceThenItCarriesTheTagOnce() {
        ObjectNode body = GraphGateway.object();

        EntraOwnership.mark(body, app("mcpidp:managed-by:mcp-demo"), "mcp-demo");

        assertThat(EntraFields.strings(body.path("tags"))).containsExactly("mcpidp:managed-by:mcp-demo");
    }

    @Test
    void whenAnAppHasAnotherTenantsTagOrNoneThenItIsNobodys() {
        assertThat(EntraOwnership.of(Optional.of(app("mcpidp:managed-by:other", "team:payments")), "mcp-demo"))
                .isEqualTo(Owner.NOBODY);
        assertThat(EntraOwnership.of(Optional.of(app("team:payments")), "mcp-demo")).isEqualTo(Owner.NOBODY);
        assertThat(EntraOwnership.of(Optional.empty(), "mcp-demo")).isEqualTo(Owner.NOBODY);
    }

    @Test
    void whenAClientSecretHasTheTenantsDisplayNameThenItIsTheTenants() {
        ObjectNode app = GraphGateway.object();
        app.withArray("passwordCredentials").addObject().put("displayName", EntraOwnership.passwordName("mcp-demo"));

        assertThat(EntraOwnership.hasPassword(app, "mcp-demo")).isTrue();
        assertThat(EntraOwnership.hasPassword(app, "other")).isFalse();
        assertThat(EntraOwnership.hasPassword(GraphGateway.object(), "mcp-demo")).isFalse();
    }

    @Test
    void whenAScopeOrRoleHasTheIdDerivedForTheTenantThenItIsTheTenants() {
        ObjectNode scope = GraphGateway.object().put("value", "mcp:read")
                .put("id", EntraNames.scopeId("mcp-demo", "mcp:read").toString());
        ObjectNode role = GraphGateway.object().put("value", "reader")
                .put("id", EntraNames.roleId("mcp-demo", "reader").toString());

        assertThat(EntraOwnership.ownsScope("mcp-demo", scope)).isTrue();
        assertThat(EntraOwnership.ownsScope("other", scope)).isFalse();
        assertThat(EntraOwnership.ownsAppRole("mcp-demo", role)).isTrue();
        assertThat(EntraOwnership.ownsAppRole("mcp-demo", scope)).isFalse();
    }

    @Test
    void whenListingTheTenantsAppsThenTheFilterNamesItsTag() {
        assertThat(EntraOwnership.filter("mcp-demo")).isEqualTo("tags/any(t:t eq 'mcpidp:managed-by:mcp-demo')");
    }
}
