package org.mcpidp.testkit;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Response;

/**
 * Counts the requests that reach Keycloak's introspection endpoint ({@code .../token/introspect}) through an
 * OkHttp client: how a test or benchmark proves how often the verifier really asked the IdP (a network interceptor,
 * so a request answered from a cache is not counted).
 */
public final class IntrospectionCounter implements Interceptor {

    private final AtomicInteger count = new AtomicInteger();

    /** A client that counts its introspection calls here. */
    public OkHttpClient client() {
        return new OkHttpClient.Builder().addNetworkInterceptor(this).build();
    }

    /** Introspection requests sent so far. */
    public int count() {
        return count.get();
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        if (chain.request().url().encodedPath().endsWith("/token/introspect")) {
            count.incrementAndGet();
        }
        return chain.proceed(chain.request());
    }
}
