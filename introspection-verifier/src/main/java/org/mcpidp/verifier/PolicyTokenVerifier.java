package org.mcpidp.verifier;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.LongAdder;
import okhttp3.OkHttpClient;

/**
 * The verifier: syntax check -> pick the issuer -> (cache) -> the issuer's check -> the policy. Time-dependent rules
 * run on every call, so a cached entry can never outlive its token.
 */
final class PolicyTokenVerifier implements TokenVerifier {

    private static final System.Logger LOG = System.getLogger(PolicyTokenVerifier.class.getName());

    /** Longer tokens are refused before any parsing (a 16 KB header is an attack, not a token). */
    static final int MAX_TOKEN_LENGTH = 12 * 1024;

    private final AccessPolicy policy;
    private final List<TrustedIssuer> issuers;
    private final Map<String, IssuerRoute> routesByIssuer = new LinkedHashMap<>();
    private final Optional<IssuerRoute> singleRoute;
    private final Optional<IssuerRoute> opaqueRoute;
    private final Clock clock;
    private final CacheSettings cacheSettings;
    private final AsyncCache<TokenDigest, Outcome> cache;
    private final IntrospectionClient introspection;
    private final IdpCallLimiter limiter;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder loads = new LongAdder();

    PolicyTokenVerifier(AccessPolicy policy, List<TrustedIssuer> issuers, OkHttpClient http, CacheSettings cacheSettings,
                        Clock clock, IdpCallLimiter limiter) {
        this.policy = policy;
        this.issuers = issuers;
        this.clock = clock;
        this.cacheSettings = cacheSettings;
        this.limiter = limiter;
        this.introspection = new IntrospectionClient(http, limiter);
        List<IssuerRoute> opaqueCapable = new ArrayList<>();
        for (TrustedIssuer issuer : issuers) {
            IssuerRoute route = new IssuerRoute(issuer, policy, http, introspection);
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
        this.cache = cacheSettings.enabled() ? buildCache(cacheSettings, clock) : null;
    }

    @Override
    public AuthInfo verify(String token) throws TokenVerificationException {
        checkLength(token);
        SignedJWT jwt = null;
        IssuerRoute route;
        if (singleRoute.isPresent()) {
            // The full syntax scan runs on a cache miss (in load): a hit means the same bytes were checked before.
            route = singleRoute.get();
        } else {
            checkSyntax(token);
            jwt = parseJwt(token, false);
            route = jwt != null ? routeByIssuer(jwt) : opaqueRoute.orElseThrow(
                    () -> TokenVerificationException.invalid("token is not a signed JWT"));
        }
        Outcome outcome = cache == null ? load(route, token, jwt) : cached(route, token, jwt);
        if (outcome instanceof Outcome.Rejected rejected) {
            throw new TokenVerificationException(rejected.failure());
        }
        if (outcome instanceof Outcome.Unavailable unavailable) {
            throw new TokenVerificationException(unavailable.failure());
        }
        AuthInfo info = ((Outcome.Accepted) outcome).info();
        policy.checkTime(info, clock.instant());
        policy.checkScopes(info);
        return info;
    }

    private Outcome cached(IssuerRoute route, String token, SignedJWT jwt) throws TokenVerificationException {
        TokenDigest key = TokenDigest.of(route.digestPrefix(), token);
        CompletableFuture<Outcome> future = cache.getIfPresent(key);
        if (future != null) {
            // the hot path: no allocation beyond the key
            hits.increment();
            return join(future);
        }
        CompletableFuture<Outcome> mine = new CompletableFuture<>();
        future = cache.get(key, (k, executor) -> mine);
        if (future == mine) {
            // This caller loads, on its own thread; concurrent callers with the same token wait for this one result.
            misses.increment();
            try {
                mine.complete(load(route, token, jwt));
            } catch (TokenVerificationException e) {
                mine.complete(e.failure() instanceof VerificationFailure.Unavailable unavailable
                        ? new Outcome.Unavailable(unavailable)
                        : new Outcome.Rejected(new VerificationFailure.InvalidToken(e.failure().description())));
            } catch (RuntimeException e) {
                // load() turns every runtime failure into a typed one; this is the last line, so that waiting
                // callers never see a CompletionException (and Caffeine never logs one).
                mine.complete(new Outcome.Unavailable(unexpected(e)));
            }
        } else {
            hits.increment();
        }
        return join(future);
    }

    private static Outcome join(CompletableFuture<Outcome> future) throws TokenVerificationException {
        try {
            return future.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TokenVerificationException failure) {
                throw new TokenVerificationException(failure.failure(), failure);
            }
            throw e;
        }
    }

    /** The uncached path: the issuer's own check, then the time-independent and time rules of the policy. */
    private Outcome load(IssuerRoute route, String token, SignedJWT parsed) throws TokenVerificationException {
        loads.increment();
        try {
            checkSyntax(token);
            SignedJWT jwt = parsed;
            if (jwt == null && route.trusted().mode() == TrustedIssuer.TokenMode.JWT) {
                jwt = parseJwt(token, true);
            }
            AuthInfo info = route.authenticate(token, jwt);
            String expectedIssuer = route.trusted().expectedIssuer(tenantOf(info))
                    .orElseThrow(() -> TokenVerificationException.invalid("token tenant (tid) is not allowed"));
            policy.checkIdentity(info, expectedIssuer);
            policy.checkTime(info, clock.instant());
            return new Outcome.Accepted(info);
        } catch (TokenVerificationException e) {
            if (e.failure() instanceof VerificationFailure.InvalidToken invalid) {
                return new Outcome.Rejected(invalid);
            }
            throw e;
        } catch (RuntimeException e) {
            throw new TokenVerificationException(unexpected(e), e);
        }
    }

    /**
     * A failure no check foresaw (a library or a bug, not the token): logged here, once, with its class only (a
     * message may quote the token), and answered as unavailable (503) rather than blaming the token.
     */
    private static VerificationFailure.Unavailable unexpected(RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, "Token verification failed unexpectedly: " + e.getClass().getName()
                + (e.getStackTrace().length > 0 ? " at " + e.getStackTrace()[0] : ""));
        return new VerificationFailure.Unavailable("token verification failed unexpectedly", Duration.ofSeconds(5));
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

    private static Optional<String> tenantOf(AuthInfo info) {
        return info.claims().get("tid") instanceof String tid ? Optional.of(tid) : Optional.empty();
    }

    /**
     * Parses a compact JWS. Returns null for something that is not a JWT at all when {@code required} is false (an
     * opaque token); unsigned and encrypted JWTs are always refused.
     */
    private static SignedJWT parseJwt(String token, boolean required) throws TokenVerificationException {
        if (token.chars().filter(c -> c == '.').count() < 2) {
            if (required) {
                throw TokenVerificationException.invalid("token is not a signed JWT");
            }
            return null;
        }
        JWT parsed;
        try {
            parsed = JWTParser.parse(token);
        } catch (ParseException e) {
            if (required) {
                throw TokenVerificationException.invalid("token is not a well-formed JWT");
            }
            return null;
        }
        if (parsed instanceof SignedJWT signed) {
            return signed;
        }
        throw TokenVerificationException.invalid(parsed instanceof EncryptedJWT
                ? "encrypted tokens (JWE) are not accepted" : "unsigned tokens (alg none) are not accepted");
    }

    /** RFC 6750 b64token: {@code 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="}. */
    /** Empty and oversized tokens are refused before anything else, hashing included. */
    private static void checkLength(String token) throws TokenVerificationException {
        if (token == null || token.isEmpty()) {
            throw TokenVerificationException.invalid("no token");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw TokenVerificationException.invalid("token is too long");
        }
    }

    static void checkSyntax(String token) throws TokenVerificationException {
        checkLength(token);
        int length = token.length();
        int end = length;
        while (end > 0 && token.charAt(end - 1) == '=') {
            end--;
        }
        if (end == 0) {
            throw TokenVerificationException.invalid("token is malformed");
        }
        for (int i = 0; i < end; i++) {
            char c = token.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
            if (!ok) {
                throw TokenVerificationException.invalid("token is malformed");
            }
        }
    }

    private static AsyncCache<TokenDigest, Outcome> buildCache(CacheSettings settings, Clock clock) {
        long maxNanos = settings.maxLifetime().toNanos();
        long negativeNanos = settings.negativeLifetime().toNanos();
        Expiry<TokenDigest, Outcome> expiry = new Expiry<>() {
            @Override
            public long expireAfterCreate(TokenDigest key, Outcome outcome, long currentTime) {
                return switch (outcome) {
                    case Outcome.Accepted accepted -> Math.max(0, Math.min(maxNanos,
                            Duration.between(clock.instant(), accepted.info().expiresAt()).toNanos()));
                    case Outcome.Rejected rejected -> negativeNanos;
                    case Outcome.Unavailable unavailable -> 0; // never served from the cache: retried next time
                };
            }

            @Override
            public long expireAfterUpdate(TokenDigest key, Outcome outcome, long currentTime, long currentDuration) {
                return expireAfterCreate(key, outcome, currentTime);
            }

            @Override
            public long expireAfterRead(TokenDigest key, Outcome outcome, long currentTime, long currentDuration) {
                return currentDuration;
            }
        };
        return Caffeine.newBuilder()
                .maximumSize(settings.maximumSize())
                .expireAfter(expiry)
                .ticker(() -> {
                    Instant now = clock.instant();
                    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
                })
                .executor(Runnable::run)
                .buildAsync();
    }

    @Override
    public VerifierStats stats() {
        return new VerifierStats(hits.sum(), misses.sum(), loads.sum(), introspection.calls(), introspection.errors(),
                introspection.nanos(), cache == null ? 0 : cache.synchronous().estimatedSize(), limiter.rejected());
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
