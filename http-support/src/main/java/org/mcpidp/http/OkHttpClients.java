package org.mcpidp.http;

import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/** The OkHttp client an IdP call goes through, derived once from {@link HttpClientSettings}. */
public final class OkHttpClients {

    /** How long an idle connection to the IdP is kept for reuse (OkHttp's own default). */
    private static final long KEEP_ALIVE_MINUTES = 5;

    private OkHttpClients() {
    }

    /**
     * A client bounded by {@code settings}, derived from {@code base} (its pool and dispatcher are shared, as OkHttp
     * intends) or, when {@code base} is null, a new one whose pool keeps as many idle connections as calls may run at
     * once: at most {@code maxConcurrent} are busy, and as many stay warm. Redirects are never followed: a redirect
     * from an IdP endpoint is a misconfiguration or an attack, and following it would send credentials elsewhere.
     */
    public static OkHttpClient bounded(OkHttpClient base, HttpClientSettings settings) {
        OkHttpClient from = base != null ? base : new OkHttpClient.Builder()
                .connectionPool(new ConnectionPool(settings.maxConcurrent(), KEEP_ALIVE_MINUTES, TimeUnit.MINUTES))
                .build();
        return from.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .readTimeout(settings.readTimeout())
                .callTimeout(settings.callTimeout())
                .followRedirects(false)
                .followSslRedirects(false)
                .build();
    }
}
