package org.mcpidp.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class WebUrlsTest {

    @Test
    void whenHttpOrHttpsWithAHostThenWeb() {
        assertThat(WebUrls.isWeb(URI.create("http://127.0.0.1:8080/mcp"))).isTrue();
        assertThat(WebUrls.isWeb(URI.create("https://idp.example.test"))).isTrue();
        assertThat(WebUrls.isHttps(URI.create("http://idp.example.test"))).isFalse();
    }

    @Test
    void whenAnotherSchemeOrNoHostThenNotWeb() {
        assertThat(WebUrls.isWeb(URI.create("ftp://idp.example.test"))).isFalse();
        assertThat(WebUrls.isWeb(URI.create("https:/no-host"))).isFalse();
        assertThat(WebUrls.isWeb(URI.create("/relative"))).isFalse();
        assertThat(WebUrls.isWeb(URI.create("HTTPS://upper.example.test"))).isFalse();
    }

    @Test
    void whenAQueryOrFragmentThenNotPlain() {
        assertThat(WebUrls.isPlain(URI.create("https://a.example.test/p"))).isTrue();
        assertThat(WebUrls.isPlain(URI.create("https://a.example.test/p?x=1"))).isFalse();
        assertThat(WebUrls.isPlain(URI.create("https://a.example.test/p#f"))).isFalse();
    }

    @Test
    void whenParsingANonUrlThenTheErrorNamesWhatAndTheValue() {
        assertThatThrownBy(() -> WebUrls.parseWeb("not a url", "issuer"))
                .hasMessage("issuer is not a URL: not a url");
        assertThatThrownBy(() -> WebUrls.parseWeb("mailto:x@example.test", "issuer"))
                .hasMessage("issuer must be an http(s) URL with a host: mailto:x@example.test");
    }

    @Test
    void whenAResourceHasATrailingSlashOrAnUpperCaseHostThenItsCanonicalFormHasNeither() {
        assertThat(WebUrls.canonicalResource(URI.create("https://MCP.Example.test/mcp/")))
                .hasToString("https://mcp.example.test/mcp");
        assertThat(WebUrls.canonicalResource(URI.create("https://mcp.example.test/")))
                .hasToString("https://mcp.example.test");
        assertThat(WebUrls.canonicalResource(URI.create("http://127.0.0.1:8080/mcp//")))
                .hasToString("http://127.0.0.1:8080/mcp");
        assertThat(WebUrls.canonicalResource(URI.create("http://[::1]:8080/Mcp/")))
                .hasToString("http://[::1]:8080/Mcp");
    }

    @Test
    void whenAResourceIsAlreadyCanonicalThenItIsReturnedAsItIs() {
        URI canonical = URI.create("https://mcp.example.test:8443/mcp");
        assertThat(WebUrls.canonicalResource(canonical)).isSameAs(canonical);
    }
}
