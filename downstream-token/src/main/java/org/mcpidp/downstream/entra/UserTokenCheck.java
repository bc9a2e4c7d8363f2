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
 * the raw claims can, in this order:
 * <ol>
 *   <li>{@code idtyp} ({@code app} or {@code user}), an optional claim that says it outright when the MCP API app
 *       asks for it (recommended);</li>
 *   <li>{@code scp}: Microsoft documents it as "only included for user tokens";</li>
 *   <li>without either, {@code oid == sub}: in an app-only token both are the calling service principal, while a
 *       user's {@code sub} is pairwise per application and differs from the user's {@code oid}. A user token without
 *       {@code scp} (the kit's role-gated scopes arrive in {@code roles}) is therefore still a user token. Without
 *       {@code oid} the token counts as app-only: Entra would refuse it anyway, and this answer says why.</li>
 * </ol>
 */
final class UserTokenCheck {

    private UserTokenCheck() {
    }

    static Optional<ExchangeFailure> refusal(AuthInfo caller, Set<String> apiAudiences, DownstreamTarget target) {
        if (isAppOnly(caller)) {
            return Optional.of(ExchangeFailure.of(ExchangeFailure.Reason.APP_ONLY_TOKEN,
                    "On-Behalf-Of needs a user's token, but client " + caller.clientId().orElse("?")
                            + " called with an app-only token (" + ("app".equals(caller.claims().get("idtyp"))
                            ? "idtyp=app" : "no 'scp', oid = sub") + "); Entra refuses those (AADSTS7000114). An agent calls "
                            + target.audience() + " with its own token instead: client credentials with scope '"
                            + ScopeRules.entraScopes(new DownstreamTarget(target.audience(), Set.of())).iterator().next()
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
        if (idtyp instanceof String type && !type.isBlank()) {
            return !"user".equals(type);
        }
        if (caller.claims().get("scp") instanceof String scopes && !scopes.isBlank()) {
            return false;
        }
        Object oid = caller.claims().get("oid");
        return !(oid instanceof String objectId) || objectId.equals(caller.subject());
    }
}
