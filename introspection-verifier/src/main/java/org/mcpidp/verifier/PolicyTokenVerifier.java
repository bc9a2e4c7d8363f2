package org.mcpidp.verifier;

import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import okhttp3.OkHttpClient;
import org.mcpidp.http.CallLimiter;

/**
 * The verifier: length check -> route (the issuer) -> its source chain ([cache] -> JWT / introspection / custom)
 * -> {@link AccessPolicy#check}. Every stage returns an {@link Outcome}; it becomes an exception only here, at the
 * public edge.
 */
final class PolicyTokenVerifier implements TokenVerifier {

    private final AccessPolicy policy;
    private final List<TrustedIssuer> issuers;
    private final Map<String, IssuerRoute> routesByIssuer = new LinkedHashMap<>();
    private final Optional<IssuerRoute> singleRoute;
    private final Optional<IssuerRoute> opaqueRoute;
    private final Clock clock;
    private final CacheSettings cacheSettings;
    private final Optional<VerificationCache> cache;
    private final IntrospectionClient introspection;
    private final CallLimiter limiter;
    private final LongAdder loads = new LongAdder();

    PolicyTokenVerifier(AccessPolicy policy, List<TrustedIssuer> issuers, OkHttpClient http, CacheSettings cacheSettings,
                        Clock clock, CallLimiter limiter, Duration metadataRefresh, MetadataScheduler scheduler) {
        this.policy = policy;
        this.issuers = issuers;
        this.clock = clock;
        this.cacheSettings = cacheSettings;
        this.limiter = limiter;
        this.introspection = new IntrospectionClient(http, limiter, clock);
        this.cache = cacheSettings.enabled() ? Optional.of(new VerificationCache(cacheSettings, clock)) : Optional.empty();
        List<IssuerRoute> opaqueCapable = new ArrayList<>();
        for (TrustedIssuer issuer : issuers) {
            IssuerRoute route = route(issuer, http, metadataRefresh, scheduler);
            if (routesByIssuer.putIfAbsent(issuer.issuer(), route) != null) {
                throw new IllegalStateException("issuer " + issuer.issuer() + " is configured twice");
            }
            if (issuer.mode() != TrustedIssuer.TokenMode.JWT) {
                opaqueCapable.add(route);
            }
        }
        if (opaqueCapable.size() > 1) {
            // An opaque token says nothing about its issuer; sending it to several IdPs would leak it.
            throw new IllegalStateException("at most one issuer may introspect (or custom-verify) opaque tokens; "
                    + "configured: " + opaqueCapable.stream().map(r -> r.trusted().issuer()).toList());
        }
        this.singleRoute = routesByIssuer.size() == 1
                ? Optional.of(routesByIssuer.values().iterator().next()) : Optional.empty();
        this.opaqueRoute = opaqueCapable.stream().findFirst();
    }

    private IssuerRoute route(TrustedIssuer issuer, OkHttpClient http, Duration metadataRefresh,
                              MetadataScheduler scheduler) {
        if (issuer.checks() instanceof IssuerChecks.Custom custom) {
            return new IssuerRoute(issuer, Optional.empty(), new CustomTokenSource(custom.verification()), cache, loads);
        }
        LiveMetadata metadata = new LiveMetadata(issuer, policy, http, introspection);
        if (issuer.needsMetadata()) {
            MetadataScheduler.refreshEvery(scheduler, metadataRefresh, metadata);
        }
        return new IssuerRoute(issuer, Optional.of(metadata), metadata, cache, loads);
    }

    @Override
    public AuthInfo verify(String token) throws TokenVerificationException {
        String problem = TokenSyntax.lengthProblem(token);
        if (problem != null) {
            throw TokenVerificationException.invalid(problem);
        }
        SignedJWT jwt = null;
        IssuerRoute route;
        if (singleRoute.isPresent()) {
            // The full syntax scan runs on a cache miss: a hit means the same bytes were checked before.
            route = singleRoute.get();
        } else {
            problem = TokenSyntax.syntaxProblem(token);
            if (problem != null) {
                throw TokenVerificationException.invalid(problem);
            }
            jwt = TokenSyntax.parseJwt(token, false);
            route = jwt != null ? routeByIssuer(jwt) : opaqueRoute.orElseThrow(
                    () -> TokenVerificationException.invalid("token is not a signed JWT"));
        }
        Outcome outcome = route.authenticate(token, jwt);
        if (outcome instanceof Outcome.Accepted(AuthInfo info)) {
            outcome = policy.check(info, route.expectedIssuer(info), clock.instant());
        }
        return switch (outcome) {
            // The token joins the caller here, after the cache: cached entries never hold it.
            case Outcome.Accepted(AuthInfo info) -> info.withToken(CallerToken.of(token));
            case Outcome.Failed(VerificationFailure failure) -> throw new TokenVerificationException(failure);
        };
    }

    private IssuerRoute routeByIssuer(SignedJWT jwt) throws TokenVerificationException {
        String issuer;
        Object tid;
        try {
            issuer = jwt.getJWTClaimsSet().getIssuer();
            tid = jwt.getJWTClaimsSet().getClaim("tid");
        } catch (ParseException e) {
            throw TokenVerificationException.invalid("token claims are malformed");
        }
        IssuerRoute route = issuer == null ? null : routesByIssuer.get(issuer);
        if (route == null && issuer != null && tid instanceof String tenant) {
            // Entra multi-tenant: the template with this token's tid substituted must give exactly its iss.
            for (IssuerRoute candidate : routesByIssuer.values()) {
                if (candidate.trusted().isTemplate()
                        && candidate.trusted().expectedIssuer(Optional.of(tenant)).filter(issuer::equals).isPresent()) {
                    route = candidate;
                    break;
                }
            }
        }
        if (route == null) {
            throw TokenVerificationException.invalid("token issuer is not trusted");
        }
        return route;
    }

    /** Fetches every issuer's metadata now, keeping the last good copy where that fails (tests, diagnostics). */
    void refreshMetadata() {
        routesByIssuer.values().forEach(route -> route.metadata().ifPresent(LiveMetadata::refresh));
    }

    Optional<IssuerRoute> route(String issuer) {
        return Optional.ofNullable(routesByIssuer.get(issuer));
    }

    @Override
    public VerifierStats stats() {
        return new VerifierStats(cache.map(VerificationCache::hits).orElse(0L),
                cache.map(VerificationCache::misses).orElse(0L), loads.sum(), introspection.calls(),
                introspection.errors(), introspection.nanos(), cache.map(VerificationCache::size).orElse(0L),
                limiter.rejected());
    }

    @Override
    public boolean ready() {
        boolean ready = true;
        for (IssuerRoute route : routesByIssuer.values()) {
            ready &= route.ready();
        }
        return ready;
    }

    @Override
    public List<TrustedIssuer> issuers() {
        return issuers;
    }

    @Override
    public AccessPolicy policy() {
        return policy;
    }

    CacheSettings cacheSettings() {
        return cacheSettings;
    }
}
