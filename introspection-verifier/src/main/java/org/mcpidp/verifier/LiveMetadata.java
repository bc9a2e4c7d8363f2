package org.mcpidp.verifier;

import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.OkHttpClient;

/**
 * An issuer's metadata and the JWT or introspection source built from it, kept current: loaded on first use,
 * refreshed on a schedule and soon after a source reports "unavailable", and on a failed refresh the last good
 * copy stays. Loads are single-flight without a monitor (callers wait on a future, which parks a virtual thread
 * instead of pinning its carrier), and a failed first load is retried at most every two seconds.
 */
final class LiveMetadata implements TokenSource {

    private static final System.Logger LOG = System.getLogger(LiveMetadata.class.getName());
    private static final long RETRY_NANOS = Duration.ofSeconds(2).toNanos();

    /** The metadata in use and the source built from it. */
    private record Current(IssuerMetadata metadata, TokenSource source) {
    }

    private final TrustedIssuer trusted;
    private final AccessPolicy policy;
    private final OkHttpClient http;
    private final IntrospectionClient introspection;
    private final MetadataDiscovery discovery;
    /** Whether the introspection endpoint accepts our credentials; kept across metadata refreshes. */
    private final ClientStanding standing;
    private final AtomicReference<Current> current = new AtomicReference<>();
    private final AtomicReference<CompletableFuture<Current>> loading = new AtomicReference<>();
    private final AtomicLong nextFirstLoad = new AtomicLong(System.nanoTime());
    private final AtomicLong nextRefreshOnFailure = new AtomicLong(System.nanoTime());
    private volatile VerificationFailure.Unavailable lastFailure = new VerificationFailure.Unavailable(
            "the identity provider's metadata is not loaded yet", Duration.ofSeconds(2));

    LiveMetadata(TrustedIssuer trusted, AccessPolicy policy, OkHttpClient http, IntrospectionClient introspection) {
        this.trusted = trusted;
        this.policy = policy;
        this.http = http;
        this.introspection = introspection;
        this.discovery = new MetadataDiscovery(http);
        this.standing = new ClientStanding(trusted.issuer(), trusted.clientId().orElse("-"));
    }

    @Override
    public Outcome authenticate(String token, SignedJWT jwt) {
        Current now = current.get();
        if (now == null) {
            now = firstLoad();
            if (now == null) {
                return new Outcome.Failed(lastFailure);
            }
        }
        Outcome outcome = now.source().authenticate(token, jwt);
        if (outcome instanceof Outcome.Failed(VerificationFailure.Unavailable unavailable) && !standing.refused()) {
            refreshSoon(); // a moved endpoint looks exactly like this (refused credentials do not)
        }
        return outcome;
    }

    /**
     * True when metadata is loaded (tries to load it if not, at most every two seconds) and the introspection
     * endpoint does not refuse our credentials (while it does, asks again at most every two seconds).
     */
    boolean ready() {
        Current now = current.get();
        if (now == null) {
            now = firstLoad();
        }
        if (now == null) {
            return false;
        }
        if (standing.refused() && now.source() instanceof IntrospectionTokenSource introspecting) {
            introspecting.probeCredentials();
        }
        return !standing.refused();
    }

    /** The introspection endpoint in use, if loaded (for tests and diagnostics). */
    URI introspectionEndpoint() {
        Current now = current.get();
        return now != null && now.source() instanceof IntrospectionTokenSource source ? source.endpoint() : null;
    }

    /** Fetches the metadata again; keeps the last good copy when that fails. Joins a load already running. */
    void refresh() {
        load();
    }

    /** The first load; concurrent first callers wait for one fetch, and after a failure the next waits two seconds. */
    private Current firstLoad() {
        CompletableFuture<Current> running = loading.get();
        if (running != null) {
            return running.join();
        }
        if (System.nanoTime() - nextFirstLoad.get() < 0) {
            return current.get();
        }
        return load();
    }

    private void refreshSoon() {
        long next = nextRefreshOnFailure.get();
        long now = System.nanoTime();
        if (now - next >= 0 && nextRefreshOnFailure.compareAndSet(next, now + RETRY_NANOS)) {
            Thread.ofVirtual().name("mcpidp-metadata-refresh").start(this::refresh);
        }
    }

    /** Single flight: one caller fetches, the others wait for its result. Returns what is current afterwards. */
    private Current load() {
        CompletableFuture<Current> mine = new CompletableFuture<>();
        CompletableFuture<Current> running = loading.compareAndExchange(null, mine);
        if (running != null) {
            return running.join();
        }
        try {
            Current previous = current.get();
            Current fresh = fetch(previous);
            if (fresh != previous) {
                current.set(fresh);
                if (previous != null) {
                    LOG.log(System.Logger.Level.INFO, "Metadata of issuer {0} changed; new endpoints in use",
                            trusted.issuer());
                }
            }
        } catch (TokenVerificationException e) {
            lastFailure = (VerificationFailure.Unavailable) e.failure();
            if (current.get() != null) {
                LOG.log(System.Logger.Level.WARNING, "Metadata of issuer {0} not refreshed ({1}); keeping the last good copy",
                        trusted.issuer(), e.getMessage());
            }
        } catch (RuntimeException e) {
            // A library or a bug, not the IdP's answer: logged once, with its class only, answered as unavailable.
            LOG.log(System.Logger.Level.ERROR, "Metadata of issuer {0} could not be loaded: {1}", trusted.issuer(),
                    e.getClass().getName());
            lastFailure = new VerificationFailure.Unavailable("token verification failed unexpectedly", Duration.ofSeconds(5));
        } finally {
            if (current.get() == null) {
                nextFirstLoad.set(System.nanoTime() + RETRY_NANOS);
            }
            mine.complete(current.get());
            loading.set(null);
        }
        return current.get();
    }

    /** The source for freshly read metadata; the previous one when nothing it uses changed (keeps its key cache). */
    private Current fetch(Current previous) throws TokenVerificationException {
        IssuerMetadata metadata = trusted.needsMetadata()
                ? discovery.discover(trusted)
                : new IssuerMetadata(trusted.issuer(), trusted.jwksUri(), trusted.introspectionEndpoint());
        if (previous != null && previous.metadata().equals(metadata)) {
            return previous;
        }
        TokenSource source = switch (trusted.checks()) {
            case IssuerChecks.Jwt jwt -> new JwtTokenSource(trusted, jwt,
                    metadata.jwksUri().orElseThrow(() -> missing("jwks_uri")), policy, http);
            case IssuerChecks.Introspection client -> new IntrospectionTokenSource(trusted, client,
                    metadata.introspectionEndpoint().orElseThrow(() -> missing("introspection_endpoint")),
                    introspection, policy, standing);
            case IssuerChecks.Custom custom -> throw new IllegalStateException("custom issuers have no metadata");
        };
        if (previous != null && previous.source() instanceof JwtTokenSource old && source instanceof JwtTokenSource fresh
                && Objects.equals(old.jwksUri(), fresh.jwksUri())) {
            source = old;
        }
        return new Current(metadata, source);
    }

    private TokenVerificationException missing(String field) {
        LOG.log(System.Logger.Level.ERROR, "Issuer {0} publishes no {1}; configure it explicitly", trusted.issuer(), field);
        return new TokenVerificationException(new VerificationFailure.Unavailable(
                "the identity provider's metadata lacks " + field, Duration.ofSeconds(30)));
    }
}
