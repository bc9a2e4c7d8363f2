package org.mcpidp.downstream.entra;

import java.util.Optional;
import java.util.Set;
import org.mcpidp.downstream.DownstreamTarget;
import org.mcpidp.downstream.ExchangeFailure;
import org.mcpidp.verifier.AuthInfo;

/**
 * What Entra would refuse anyway, told apart before any call so the answer can say what to do instead.
 *
 * <p>App-only tokens: Entra's On-Behalf-Of works for user tokens only (an app-only assertion fails with
 * {@code AADSTS7000114}). The verifier counts an Entra token's app roles as scopes (so an agent with app role
 * {@code mcp:read} passes a tool needing scope {@code mcp:read}), so {@link AuthInfo#scopes()} cannot tell them apart;
 * the raw claims can: a user (delegated) token always carries {@code scp}, an app-only token never does and, when the
 * optional claim is configured, says {@code idtyp=app}.
 */
final class UserTokenCheck {

    private UserTokenCheck() {
    }

    static Optional<ExchangeFailure> refusal(AuthInfo caller, Set<String> apiAudiences, DownstreamTarget target) {
        if (isAppOnly(caller)) {
            return Optional.of(ExchangeFailure.of(ExchangeFailure.Reason.APP_ONLY_TOKEN,
                    "On-Behalf-Of needs a user's token, but client " + caller.clientId().orElse("?")
                            + " called with an app-only token (no 'scp' claim" + ("app".equals(caller.claims().get("idtyp"))
                            ? ", idtyp=app" : "") + "); Entra refuses those (AADSTS7000114). An agent calls "
                            + target.audience() + " with its own token instead: client credentials with scope '"
                            + EntraOnBehalfOf.entraScopes(new DownstreamTarget(target.audience(), Set.of())).iterator().next()
                            + "', after an admin assigns it an app role of that API"));
        }
        if (caller.audiences().stream().noneMatch(apiAudiences::contains)) {
            return Optional.of(ExchangeFailure.of(ExchangeFailure.Reason.NOT_IN_AUDIENCE,
                    "On-Behalf-Of needs a token issued for the MCP API app " + apiAudiences + ", but its aud is "
                            + caller.audiences()));
        }
        return Optional.empty();
    }

    static boolean isAppOnly(AuthInfo caller) {
        Object idtyp = caller.claims().get("idtyp");
        Object scp = caller.claims().get("scp");
        return "app".equals(idtyp) || !(scp instanceof String scopes) || scopes.isBlank();
    }
}
