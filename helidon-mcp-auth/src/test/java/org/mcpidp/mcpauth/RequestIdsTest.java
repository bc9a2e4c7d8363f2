package org.mcpidp.mcpauth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestIdsTest {

    @Test
    void whenAnIncomingIdIsWellFormedThenItIsSaneElseNot() {
        assertThat(RequestIds.sane("lb-42_0005:a.b")).isTrue();
        assertThat(RequestIds.sane("0a1b2c3d-0000-4000-8000-000000000000")).isTrue();
        assertThat(RequestIds.sane("x".repeat(64))).isTrue();
        assertThat(RequestIds.sane("x".repeat(65))).isFalse();
        assertThat(RequestIds.sane("")).isFalse();
        assertThat(RequestIds.sane("two words")).isFalse();
        assertThat(RequestIds.sane("id\"},{\"injected\":1")).isFalse();
        assertThat(RequestIds.sane("line\nbreak")).isFalse();
    }

    @Test
    void whenAnIdIsMadeThenItIsAVersion4UuidAndSaneItself() {
        String id = RequestIds.random();
        assertThat(java.util.UUID.fromString(id).version()).isEqualTo(4);
        assertThat(java.util.UUID.fromString(id).variant()).isEqualTo(2);
        assertThat(RequestIds.sane(id)).isTrue();
        assertThat(RequestIds.random()).isNotEqualTo(id);
    }
}
