package org.mcpidp.mcpserver.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webserver.WebServer;
import java.io.IOException;
import java.net.URI;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.mcpidp.mcpserver.StubVerifier;
import org.mcpidp.mcpauth.BearerAuthFeature;
import org.mcpidp.mcpserver.tools.WhoamiTool;
import org.mcpidp.testkit.FreePort;

/** A TokenVerifier that throws instead of failing typed (a custom one, a bug) gets 503 from the server, never 500. */
class VerifierRuntimeFailureTest {

    @Test
    void whenTheVerifierThrowsARuntimeExceptionThen503WithoutTheExceptionInTheAnswer() throws IOException {
        int port = FreePort.find();
        BearerAuthFeature auth = BearerAuthFeature.builder()
                .verifier(StubVerifier.throwing())
                .resource(URI.create("http://127.0.0.1:" + port + "/mcp"))
                .engine(org.mcpidp.mcpauth.SdkEngine.builder().addTool(new WhoamiTool()).build())
                .build();
        WebServer server = WebServer.builder().host("127.0.0.1").port(port).addFeature(auth).build().start();
        try (Response response = new OkHttpClient().newCall(new Request.Builder()
                .url("http://127.0.0.1:" + port + "/mcp")
                .header("Authorization", "Bearer abc.def.ghi")
                .header("Accept", "application/json, text/event-stream")
                .post(RequestBody.create("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}",
                        MediaType.get("application/json"))).build()).execute()) {
            String body = response.body().string();
            assertThat(response.code()).isEqualTo(503);
            assertThat(response.header("Retry-After")).isNotBlank();
            assertThat(body).contains("temporarily_unavailable").doesNotContain("Exception").doesNotContain("abc.def");
        } finally {
            server.stop();
        }
    }
}
