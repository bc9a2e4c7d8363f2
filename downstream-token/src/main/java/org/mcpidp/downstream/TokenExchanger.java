package org.mcpidp.downstream;

import org.mcpidp.verifier.AuthInfo;

/**
 * One IdP's way of turning a verified caller's token into a token for a downstream API: RFC 8693 token exchange
 * (Keycloak) or On-Behalf-Of (Entra ID). Blocking (callers run on virtual threads), thread-safe, never throws for
 * an IdP's answer: every failure is an {@link ExchangeOutcome.Failed}. Caching lives around it, not in it.
 */
public interface TokenExchanger {

    /**
     * @param subjectToken the caller's verified access token, exactly as received (never logged)
     * @param caller       what the verifier established about it
     * @param target       the downstream API and the scopes wanted there
     */
    ExchangeOutcome exchange(String subjectToken, AuthInfo caller, DownstreamTarget target);
}
