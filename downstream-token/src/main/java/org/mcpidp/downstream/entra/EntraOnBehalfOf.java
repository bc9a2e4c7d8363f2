package org.mcpidp.downstream.entra;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.IClientCredential;
import com.microsoft.aad.msal4j.OnBehalfOfParameters;
import com.microsoft.aad.msal4j.UserAssertion;
import java.net.MalformedURLException;
import java.net.URI;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocketFactory;
import org.mcpidp.downstream.DownstreamTarget;
import org.mcpidp.downstream.DownstreamToken;
import org.mcpidp.downstream.ExchangeFailure;
import org.mcpidp.downstream.ExchangeOutcome;
import org.mcpidp.downstream.TokenExchanger;
import org.mcpidp.http.Checks;
import org.mcpidp.http.CallLimiter;
import org.mcpidp.http.HttpClientSettings;
import org.mcpidp.verifier.AuthInfo;

/**
 * Entra ID On-Behalf-Of through msal4j: the MCP server's app registration (a confidential client) trades the
 * caller's user token, whose {@code aud} is the MCP API app, for a token for a downstream API
 * ({@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer}, {@code requested_token_use=on_behalf_of}).
 *
 * <p>The authority is the CALLER's tenant: {@code <authority host>/<tid of the caller's token>/}, never a fixed
 * one, so a multi-tenant MCP API trades each user's token in her own tenant and never sends it to another. A
 * caller whose {@code tid} is not one of {@link Builder#tenants} (or has none) is refused with
 * {@code ISSUER_NOT_ALLOWED} before any call.
 *
 * <p>Checked before any call, because Entra would refuse them anyway and the answer must say what to do: the caller's
 * token must be a user token ({@link UserTokenCheck}: an agent's app-only token gets {@code APP_ONLY_TOKEN}) and its
 * {@code aud} must be one of the MCP API app's identifiers ({@code NOT_IN_AUDIENCE}). Also before the call: the
 * spec's {@code from} rules ({@link Builder#allowScope}, {@code SCOPE_NOT_ALLOWED}), which Entra cannot enforce.
 *
 * <p>msal4j's own cache is not used: its OBO entries are kept by assertion hash with no eviction, so each exchange
 * runs on a fresh {@link ConfidentialClientApplication} (its cache dies with it) with {@code skipCache(true)}.
 * Caching belongs to the {@code DownstreamTokens} facade around this class (bounded, expiring). Only the client
 * credential, the HTTP settings and a virtual-thread executor are shared: without an executor msal4j runs every
 * request on the common fork-join pool, one thread on a two-core machine, so exchanges would queue behind each other.
 */
public final class EntraOnBehalfOf implements TokenExchanger {

    /** The public cloud; sovereign clouds set {@link Builder#authorityHost}. */
    public static final String PUBLIC_CLOUD = "https://login.microsoftonline.com";

    /** A tenant id as Entra writes it in {@code tid}: a GUID. */
    private static final Pattern TENANT_ID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final String authorityHost;
    private final Set<String> tenants;
    private final String clientId;
    private final IClientCredential credential;
    private final Set<String> apiAudiences;
    private final HttpClientSettings http;
    private final Duration callTimeout;
    private final CallLimiter inFlight;
    private final Optional<SSLSocketFactory> localStandIn;
    private final ScopeRules scopeRules;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    private EntraOnBehalfOf(Builder b) {
        this.authorityHost = b.authorityHost;
        this.tenants = Set.copyOf(b.tenants);
        this.clientId = b.clientId;
        this.credential = b.credential;
        this.apiAudiences = Set.copyOf(b.apiAudiences);
        this.http = b.http;
        this.callTimeout = b.callTimeout;
        this.inFlight = new CallLimiter(b.http.maxConcurrent(), callTimeout);
        this.localStandIn = b.localStandIn;
        this.scopeRules = b.scopeRules.copy();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ExchangeOutcome exchange(String subjectToken, AuthInfo caller, DownstreamTarget target) {
        Objects.requireNonNull(subjectToken, "subjectToken");
        Object tid = caller.claims().get("tid");
        // the authority is built from the allow-list's own (validated) value, never from token text
        String tenant = tid instanceof String text ? text.toLowerCase(Locale.ROOT) : null;
        if (tenant == null || !tenants.contains(tenant)) {
            return failed(ExchangeFailure.Reason.ISSUER_NOT_ALLOWED, "On-Behalf-Of runs in the caller's own tenant, "
                    + "but the caller's tid (" + (tenant == null ? "none" : TENANT_ID.matcher(tenant).matches()
                    ? tenant : "not a tenant id") + ") is not one of the "
                    + "tenants this server exchanges for " + tenants.stream().sorted().toList());
        }
        Optional<ExchangeFailure> refused = UserTokenCheck.refusal(caller, apiAudiences, target)
                .or(() -> scopeRules.refusal(caller, target));
        if (refused.isPresent()) {
            return new ExchangeOutcome.Failed(refused.get());
        }
        Set<String> scopes = ScopeRules.entraScopes(target);
        Optional<CallLimiter.Permit> permit = inFlight.acquire();
        if (permit.isEmpty()) {
            return failed(ExchangeFailure.Reason.UNAVAILABLE, "On-Behalf-Of: " + http.maxConcurrent()
                    + " exchanges with Entra already in flight for " + callTimeout.toSeconds() + " s");
        }
        CompletableFuture<IAuthenticationResult> call = null;
        try (CallLimiter.Permit held = permit.get()) {
            OnBehalfOfParameters parameters = OnBehalfOfParameters
                    .builder(scopes, new UserAssertion(subjectToken))
                    .skipCache(true)
                    .build();
            call = freshApplication(tenant).acquireToken(parameters);
            IAuthenticationResult result = call.get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return new ExchangeOutcome.Issued(new DownstreamToken(result.accessToken(),
                    result.expiresOnDate().toInstant()));
        } catch (ExecutionException e) {
            return new ExchangeOutcome.Failed(OboFailures.of(e.getCause() == null ? e : e.getCause()));
        } catch (TimeoutException e) {
            call.cancel(true);
            return failed(ExchangeFailure.Reason.UNAVAILABLE, "On-Behalf-Of: Entra did not answer within "
                    + callTimeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(ExchangeFailure.Reason.UNAVAILABLE, "On-Behalf-Of: interrupted while waiting for Entra");
        } catch (RuntimeException e) {
            // msal4j throws synchronously for an assertion it cannot parse as a JWT, among others.
            return new ExchangeOutcome.Failed(OboFailures.of(e));
        }
    }

    /** A client of the caller's tenant: {@code tenant} is an allowed tenant id, never anything else. */
    private ConfidentialClientApplication freshApplication(String tenant) {
        String authority = authorityHost + "/" + tenant + "/";
        try {
            ConfidentialClientApplication.Builder builder = ConfidentialClientApplication.builder(clientId, credential)
                    .authority(authority)
                    .executorService(executor)
                    .connectTimeoutForDefaultHttpClient((int) http.connectTimeout().toMillis())
                    .readTimeoutForDefaultHttpClient((int) http.readTimeout().toMillis());
            // TEST configuration only: a local HTTPS stand-in; instance discovery and authority validation would ask
            // Microsoft's servers about the stand-in's host.
            localStandIn.ifPresent(tls -> builder.instanceDiscovery(false).validateAuthority(false).sslSocketFactory(tls));
            return builder.build();
        } catch (MalformedURLException e) {
            throw new IllegalStateException("invalid Entra authority " + authority, e);
        }
    }

    private static ExchangeOutcome failed(ExchangeFailure.Reason reason, String detail) {
        return new ExchangeOutcome.Failed(ExchangeFailure.of(reason, detail));
    }

    @Override
    public String toString() {
        return "EntraOnBehalfOf[authority=" + authorityHost + "/<caller's tid>/, tenants=" + tenants + ", clientId="
                + clientId + ", apiAudiences=" + apiAudiences + "]";
    }

    /** Settings for {@link EntraOnBehalfOf}; {@link #tenants}, {@link #clientId}, a credential and the API audience are required. */
    public static final class Builder {
        private String authorityHost = PUBLIC_CLOUD;
        private final Set<String> tenants = new LinkedHashSet<>();
        private String clientId;
        private IClientCredential credential;
        private final Set<String> apiAudiences = new LinkedHashSet<>();
        // msal4j's own HTTP client, not OkHttp: only the settings and their validation are shared
        private HttpClientSettings http = new HttpClientSettings(Duration.ofSeconds(5), Duration.ofSeconds(10), 16);
        private Duration callTimeout = Duration.ofSeconds(15);
        private Optional<SSLSocketFactory> localStandIn = Optional.empty();
        private final ScopeRules scopeRules = new ScopeRules();

        private Builder() {
        }

        /** {@code https://login.microsoftonline.com} by default; another cloud's login host (https only). */
        public Builder authorityHost(String host) {
            URI uri = URI.create(Objects.requireNonNull(host, "authorityHost"));
            if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("Entra authority host must be an https URL, got: " + host);
            }
            this.authorityHost = host.endsWith("/") ? host.substring(0, host.length() - 1) : host;
            return this;
        }

        /**
         * The tenants whose users' tokens may be exchanged, by tenant id (the GUID in their {@code tid}; a domain
         * name never matches one): the MCP API app's own tenant, and for a multi-tenant app each customer tenant
         * that consented. Each exchange runs at the caller's tenant's authority.
         */
        public Builder tenants(String... tenantIds) {
            for (String tenant : tenantIds) {
                String id = Checks.text(tenant, "tenant");
                if (!TENANT_ID.matcher(id).matches()) {
                    throw new IllegalArgumentException("tenant must be a tenant id (a GUID, as in the tid claim), "
                            + "got: " + id);
                }
                tenants.add(id.toLowerCase(Locale.ROOT));
            }
            return this;
        }

        /** One tenant: {@link #tenants}. */
        public Builder tenant(String tenantId) {
            return tenants(tenantId);
        }

        /** The MCP server's app registration (application/client id): the middle tier that does On-Behalf-Of. */
        public Builder clientId(String clientId) {
            this.clientId = Checks.text(clientId, "clientId");
            return this;
        }

        /** Its client secret (never logged). */
        public Builder clientSecret(String secret) {
            this.credential = ClientCredentialFactory.createFromSecret(Checks.text(secret, "clientSecret"));
            return this;
        }

        /** Or a certificate registered on the app, with its private key. */
        public Builder clientCertificate(PrivateKey key, X509Certificate certificate) {
            this.credential = ClientCredentialFactory.createFromCertificate(Objects.requireNonNull(key, "key"),
                    Objects.requireNonNull(certificate, "certificate"));
            return this;
        }

        /**
         * Identifiers of the MCP API app as they appear in its tokens' {@code aud}: the appId GUID (v2 tokens) and/or
         * the App ID URI (v1 tokens, e.g. {@code api://<appId>}). A caller's token must carry one of them.
         */
        public Builder apiAudience(String... audiences) {
            for (String audience : audiences) {
                apiAudiences.add(Checks.text(audience, "apiAudience"));
            }
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.http = http.withConnectTimeout(timeout);
            return this;
        }

        public Builder readTimeout(Duration timeout) {
            this.http = http.withReadTimeout(timeout);
            return this;
        }

        /** Upper bound for one exchange, waiting for a free slot included. */
        public Builder callTimeout(Duration timeout) {
            this.callTimeout = Checks.positive(timeout, "callTimeout");
            return this;
        }

        /** At most this many exchanges with Entra at once (16 by default). */
        public Builder maxConcurrent(int max) {
            this.http = http.withMaxConcurrent(max);
            return this;
        }

        /**
         * The spec's {@code from} (Entra cannot enforce it, see {@link ScopeRules}): a caller gets {@code scope} of
         * {@code audience} only when it holds one of {@code fromMcpScopes}. Once an audience has a rule, only scopes
         * with a rule can be asked for there.
         */
        public Builder allowScope(String audience, String scope, String... fromMcpScopes) {
            scopeRules.allow(Checks.text(audience, "audience"), Checks.text(scope, "scope"), Set.of(fromMcpScopes));
            return this;
        }

        /** TEST configuration only: trust a local HTTPS stand-in of the token endpoint (see {@link #authorityHost}). */
        Builder localStandIn(SSLSocketFactory tls) {
            this.localStandIn = Optional.of(tls);
            return this;
        }

        public EntraOnBehalfOf build() {
            if (tenants.isEmpty() || clientId == null || credential == null) {
                throw new IllegalStateException("On-Behalf-Of needs tenants, clientId and clientSecret or clientCertificate");
            }
            if (apiAudiences.isEmpty()) {
                throw new IllegalStateException("On-Behalf-Of needs apiAudience: the MCP API app's appId and/or App ID URI");
            }
            return new EntraOnBehalfOf(this);
        }
    }
}
