package org.mcpidp.downstream.entra;

import com.microsoft.aad.msal4j.InteractionRequiredExceptionReason;
import com.microsoft.aad.msal4j.MsalInteractionRequiredException;
import com.microsoft.aad.msal4j.MsalJsonParsingException;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.microsoft.aad.msal4j.MsalThrottlingException;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.mcpidp.downstream.ExchangeFailure;
import org.mcpidp.downstream.ExchangeFailure.Reason;

/**
 * msal4j's exceptions as typed failures. What msal4j 1.26.0 throws (read in its MsalServiceExceptionFactory): an
 * error body with {@code error=invalid_grant} and a {@code suberror} other than client_mismatch /
 * protection_policy_required (or none) becomes {@link MsalInteractionRequiredException}, whose {@code reason()}
 * comes from the suberror ({@code consent_required} for AADSTS65001); anything else with an {@code error} and an
 * {@code error_description} is a plain {@link MsalServiceException}, and a Conditional Access answer
 * ({@code error=interaction_required} with {@code claims}) is one of those, with {@code claims()} set. Network
 * failures arrive as {@code MsalClientException} around an {@link IOException}; after a 429/5xx msal4j throttles
 * the same request for a while and throws {@link MsalThrottlingException}.
 *
 * <p>Details carry the error code and the first line of {@code error_description} (the AADSTS text, without the
 * trace lines); Entra never echoes the assertion there.
 */
final class OboFailures {

    private OboFailures() {
    }

    static ExchangeFailure of(Throwable thrown) {
        Throwable e = thrown;
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        // Both extend MsalServiceException: test them first.
        if (e instanceof MsalThrottlingException) {
            return ExchangeFailure.of(Reason.UNAVAILABLE, "On-Behalf-Of: msal4j holds back requests after Entra "
                    + "answered 429/5xx; try again later");
        }
        if (e instanceof MsalJsonParsingException) {
            return ExchangeFailure.of(Reason.UNAVAILABLE, "On-Behalf-Of: Entra answered something that is not a "
                    + "token response");
        }
        if (e instanceof MsalServiceException service) {
            return service(service);
        }
        if (causedBy(e, IOException.class)) {
            return ExchangeFailure.of(Reason.UNAVAILABLE, "On-Behalf-Of: Entra could not be reached: "
                    + rootMessage(e));
        }
        return ExchangeFailure.of(Reason.REJECTED, "On-Behalf-Of failed: " + firstLine(e.getMessage()));
    }

    private static ExchangeFailure service(MsalServiceException e) {
        String description = firstLine(e.getMessage());
        String detail = "Entra refused On-Behalf-Of: " + e.errorCode() + ": " + description;
        Integer status = e.statusCode();
        if (status != null && (status >= 500 || status == 429)) {
            return ExchangeFailure.of(Reason.UNAVAILABLE, "Entra answered HTTP " + status + " to On-Behalf-Of: "
                    + description);
        }
        boolean consent = description.startsWith("AADSTS65001")
                || "consent_required".equals(e.errorCode())
                || e instanceof MsalInteractionRequiredException interaction
                && interaction.reason() == InteractionRequiredExceptionReason.CONSENT_REQUIRED;
        if (consent) {
            return ExchangeFailure.of(Reason.CONSENT_REQUIRED, detail + " (grant admin consent for the MCP API "
                    + "app to the downstream API, or let the user consent)");
        }
        String claims = e.claims();
        if (claims != null && !claims.isBlank()) {
            return new ExchangeFailure(Reason.CLAIMS_CHALLENGE, detail, Optional.of(claims));
        }
        return ExchangeFailure.of(Reason.REJECTED, detail);
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + firstLine(root.getMessage()));
    }

    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int end = message.indexOf('\n');
        int cr = message.indexOf('\r');
        if (cr >= 0 && (end < 0 || cr < end)) {
            end = cr;
        }
        return (end < 0 ? message : message.substring(0, end)).strip();
    }
}
