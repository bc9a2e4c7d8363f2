package org.mcpidp.verifier;

import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import java.io.IOException;
import java.net.URL;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** Lets Nimbus fetch JWKS through our OkHttp client: same pool, timeouts, no redirects, bounded size. */
final class OkHttpResourceRetriever implements ResourceRetriever {

    private static final long MAX_JWKS_BYTES = 512 * 1024;

    private final OkHttpClient http;

    OkHttpResourceRetriever(OkHttpClient http) {
        this.http = http;
    }

    @Override
    public Resource retrieveResource(URL url) throws IOException {
        Request request = new Request.Builder().url(url).header("Accept", "application/json").get().build();
        try (Response response = http.newCall(request).execute()) {
            if (response.code() != 200) {
                throw new IOException("JWKS " + url + " answered HTTP " + response.code());
            }
            if (response.body().source().request(MAX_JWKS_BYTES + 1)) {
                throw new IOException("JWKS " + url + " is larger than " + MAX_JWKS_BYTES + " bytes");
            }
            okhttp3.MediaType type = response.body().contentType();
            return new Resource(response.body().string(), type == null ? null : type.toString());
        }
    }
}
