package org.mcpidp.downstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Reads a token endpoint's answer to an exchange (RFC 8693 section 2.2, RFC 6749 section 5.2) into an outcome. Only
 * the OAuth {@code error} code and Keycloak's {@code error_description} are ever repeated (both are fixed texts of
 * the server, never a token); anything unexpected is said in general terms.
 */
final class ExchangeAnswers {

    private static final System.Logger LOG = System.getLogger(ExchangeAnswers.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 64 * 1024;
    private static final String NOT_IN_AUDIENCE = "not within the token audience";

    private final Clock clock;

    ExchangeAnswers(Clock clock) {
        this.clock = clock;
    }

    ExchangeOutcome read(Response response, DownstreamTarget target) throws IOException {
        int code = response.code();
        if (code >= 500 || code == 429) {
            return unavailable("the identity provider answered HTTP " + code);
        }
        JsonNode body = body(response.body());
        if (code == 200) {
            return issued(body, target);
        }
        if (code < 400 || body == null) {
            return rejected("the identity provider answered HTTP " + code + " without an OAuth error");
        }
        String error = text(body, "error");
        String description = text(body, "error_description");
        String said = error + (description.isEmpty() ? "" : " (" + clip(description) + ")");
        if (code == 403 && description.toLowerCase(Locale.ROOT).contains(NOT_IN_AUDIENCE)) {
            return failed(ExchangeFailure.Reason.NOT_IN_AUDIENCE, "the caller's token does not name the exchanging "
                    + "client in its audience: " + said);
        }
        if ("invalid_scope".equals(error)) {
            return failed(ExchangeFailure.Reason.SCOPE_NOT_ALLOWED, "the identity provider refused the scopes "
                    + target.scopes().stream().sorted().toList() + " for " + target.audience() + ": " + said);
        }
        return rejected("the identity provider refused the exchange for " + target.audience() + " with HTTP " + code
                + ": " + (error.isEmpty() ? "no error code" : said));
    }

    private ExchangeOutcome issued(JsonNode body, DownstreamTarget target) {
        if (body == null || !(body.get("access_token") instanceof JsonNode token) || !token.isTextual()
                || token.asText().isBlank()) {
            return unavailable("the identity provider answered 200 without an access token");
        }
        JsonNode expiresIn = body.get("expires_in");
        if (expiresIn == null || !expiresIn.canConvertToLong() || expiresIn.asLong() <= 0) {
            // Without a lifetime the token cannot be cached safely nor its expiry told to the tool.
            return unavailable("the identity provider answered 200 without a positive expires_in");
        }
        String type = text(body, "token_type");
        if (!type.isEmpty() && !"bearer".equals(type.toLowerCase(Locale.ROOT))) {
            return rejected("the identity provider issued a '" + clip(type) + "' token for " + target.audience()
                    + ", not a bearer token");
        }
        Instant expiresAt = clock.instant().plusSeconds(expiresIn.asLong());
        return new ExchangeOutcome.Issued(new DownstreamToken(token.asText(), expiresAt));
    }

    private static JsonNode body(ResponseBody body) {
        if (body == null) {
            return null;
        }
        try {
            byte[] bytes = body.byteStream().readNBytes(MAX_BODY);
            JsonNode node = JSON.readTree(bytes);
            return node != null && node.isObject() ? node : null;
        } catch (IOException | RuntimeException garbage) {
            return null;
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value != null && value.isTextual() ? value.asText() : "";
    }

    /** Keycloak's descriptions are short fixed texts; anything long or odd is cut, never echoed in full. */
    private static String clip(String text) {
        String printable = text.replaceAll("[^\\x20-\\x7E]", "?");
        if (looksLikeToken(printable)) {
            return "<redacted>";
        }
        return printable.length() > 200 ? printable.substring(0, 200) + "..." : printable;
    }

    private static boolean looksLikeToken(String text) {
        return text.matches(".*[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}\\..*");
    }

    static ExchangeOutcome unavailable(String detail) {
        LOG.log(System.Logger.Level.WARNING, "Token exchange unavailable: {0}", detail);
        return failed(ExchangeFailure.Reason.UNAVAILABLE, detail);
    }

    private static ExchangeOutcome rejected(String detail) {
        LOG.log(System.Logger.Level.INFO, "Token exchange refused: {0}", detail);
        return failed(ExchangeFailure.Reason.REJECTED, detail);
    }

    private static ExchangeOutcome failed(ExchangeFailure.Reason reason, String detail) {
        return new ExchangeOutcome.Failed(ExchangeFailure.of(reason, detail));
    }
}
