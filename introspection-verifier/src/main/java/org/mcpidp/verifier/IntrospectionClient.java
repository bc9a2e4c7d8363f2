package org.mcpidp.verifier;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.mcpidp.http.CallLimiter;
import org.mcpidp.http.RetryAfter;

/**
 * An RFC 7662 client. Only a 200 JSON object whose {@code active} is the boolean {@code true} yields claims, and those
 * claims still go through the {@link AccessPolicy}. Network failures, timeouts and 5xx mean "unavailable" (the token
 * may be fine), and so do 401/403: they refuse this resource server's own credentials ({@link ClientStanding}); any
 * other answer means the token cannot be accepted.
 */
final class IntrospectionClient {

    private static final System.Logger LOG = System.getLogger(IntrospectionClient.class.getName());
    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

    private final OkHttpClient http;
    private final CallLimiter limiter;
    /** The verifier's clock: an HTTP-date Retry-After is a wait from its now. */
    private final Clock clock;
    private final LongAdder calls = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder nanos = new LongAdder();

    IntrospectionClient(OkHttpClient http, CallLimiter limiter, Clock clock) {
        this.http = http;
        this.limiter = limiter;
        this.clock = clock;
    }

    /**
     * The introspection answer for {@code token}, as this resource server's client {@code client}. While
     * {@code standing} says the endpoint refuses those credentials, fails as unavailable without a call except
     * once every {@link ClientStanding#RETRY}.
     */
    Map<String, Object> introspect(URI endpoint, IssuerChecks.Introspection client, ClientStanding standing,
                                   String token) throws TokenVerificationException {
        if (!standing.mayCall()) {
            throw new TokenVerificationException(standing.failure());
        }
        Request request = request(endpoint, client, token);
        Optional<CallLimiter.Permit> permit = limiter.acquire();
        if (permit.isEmpty()) {
            throw new TokenVerificationException(new VerificationFailure.Unavailable(
                    "too many token checks in progress at the identity provider", Duration.ofSeconds(1)));
        }
        try (CallLimiter.Permit held = permit.get()) {
            return send(endpoint, request, standing);
        }
    }

    private Map<String, Object> send(URI endpoint, Request request, ClientStanding standing)
            throws TokenVerificationException {
        calls.increment();
        long start = System.nanoTime();
        try (Response response = http.newCall(request).execute()) {
            int code = response.code();
            if (code >= 500 || code == 429) {
                throw unavailable("the identity provider answered HTTP " + code, retryAfter(response));
            }
            if (code == 401 || code == 403) {
                // Our own client credentials are refused: a configuration failure, nothing the caller's token did.
                errors.increment();
                throw standing.refusedBy(endpoint, code);
            }
            if (code != 200) {
                // 3xx (never followed), 400: nothing to trust.
                LOG.log(System.Logger.Level.WARNING, "Introspection at {0} answered HTTP {1}; token refused",
                        request.url().host(), code);
                throw TokenVerificationException.invalid("token could not be introspected");
            }
            standing.accepted();
            if (!Json.isJson(response.body())) {
                LOG.log(System.Logger.Level.WARNING, "Introspection at {0} answered {1}, not JSON; token refused",
                        request.url().host(), response.body().contentType());
                throw TokenVerificationException.invalid("token could not be introspected");
            }
            Map<String, Object> claims;
            try {
                claims = Json.readObject(response.body());
            } catch (IOException malformed) {
                LOG.log(System.Logger.Level.WARNING, "Introspection at {0}: unusable JSON ({1}); token refused",
                        request.url().host(), malformed.getMessage());
                throw TokenVerificationException.invalid("token could not be introspected");
            }
            Object active = claims.get("active");
            if (!(active instanceof Boolean)) {
                LOG.log(System.Logger.Level.WARNING, "Introspection at {0}: 'active' is not a boolean; token refused",
                        request.url().host());
                throw TokenVerificationException.invalid("token could not be introspected");
            }
            if (!((Boolean) active)) {
                throw TokenVerificationException.invalid("token is not active");
            }
            return claims;
        } catch (IOException e) {
            throw unavailable("the identity provider could not be reached (" + e.getClass().getSimpleName() + ")",
                    DEFAULT_RETRY_AFTER);
        } finally {
            nanos.add(System.nanoTime() - start);
        }
    }

    private TokenVerificationException unavailable(String description, Duration retryAfter) {
        errors.increment();
        LOG.log(System.Logger.Level.WARNING, "Introspection unavailable: {0}", description);
        return new TokenVerificationException(new VerificationFailure.Unavailable(description, retryAfter));
    }

    private static Request request(URI endpoint, IssuerChecks.Introspection client, String token) {
        FormBody.Builder form = new FormBody.Builder()
                .add("token", token)
                .add("token_type_hint", "access_token");
        Request.Builder request = new Request.Builder().url(endpoint.toString()).header("Accept", "application/json");
        String clientId = client.clientId();
        String secret = client.clientSecret();
        if (client.clientAuthentication() == TrustedIssuer.ClientAuthentication.CLIENT_SECRET_POST) {
            form.add("client_id", clientId).add("client_secret", secret);
        } else {
            // RFC 6749 2.3.1: form-encode before Basic, so ':' and non-ASCII in ids and secrets survive.
            request.header("Authorization", Credentials.basic(formEncode(clientId), formEncode(secret)));
        }
        return request.post(form.build()).build();
    }

    private static String formEncode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The IdP's {@code Retry-After} kept between 1 s and 2 min (it is handed on to our callers), else the default. */
    private Duration retryAfter(Response response) {
        return RetryAfter.parse(response.header("Retry-After"), clock.instant())
                .map(wait -> Duration.ofSeconds(Math.clamp(wait.toSeconds(), 1, 120)))
                .orElse(DEFAULT_RETRY_AFTER);
    }

    long calls() {
        return calls.sum();
    }

    long errors() {
        return errors.sum();
    }

    long nanos() {
        return nanos.sum();
    }
}
