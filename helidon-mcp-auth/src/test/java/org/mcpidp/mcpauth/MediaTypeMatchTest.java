package org.mcpidp.mcpauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The gate's Content-Type and Accept comparison, which runs on every POST without substrings, decides exactly as
 * {@code strip().toLowerCase(Locale.ROOT).equals(type)} of the part before the parameters did.
 */
class MediaTypeMatchTest {

    private static final String[] TYPES = {"application/json", "application/*", "*/*"};

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "application/json|true",
        "  Application/JSON ; charset=utf-8|true",
        "application/json;|true",
        "application/jsonx|false",
        "application/j son|false",
        "application/jſon|false",
        "applİcation/json|false",
        "text/event-stream|false",
        "''|false"})
    void whenAContentTypeIsComparedThenOnlyApplicationJsonInAnyAsciiCaseMatches(String value, boolean matches) {
        assertThat(PostMediaTypes.isMediaType(value, 0, value.length(), "application/json")).isEqualTo(matches);
    }

    @Test
    void whenValuesAreRandomThenTheDecisionIsTheStripLowerCaseEqualsOne() {
        Random random = new Random(20261207L);
        String alphabet = "applicationAPPLICATIONjsonJSON/*; \t,=\u00a0\u2003\u017f\u0130\u212a\u0131xX";
        for (int i = 0; i < 200_000; i++) {
            StringBuilder value = new StringBuilder();
            String base = TYPES[random.nextInt(TYPES.length)];
            for (int c = 0; c < base.length(); c++) {
                value.append(random.nextInt(8) == 0 ? alphabet.charAt(random.nextInt(alphabet.length()))
                        : random.nextBoolean() ? Character.toUpperCase(base.charAt(c)) : base.charAt(c));
            }
            if (random.nextInt(4) == 0) {
                value.insert(0, ' ').append(random.nextBoolean() ? "; q=0.9" : " ");
            }
            String text = value.toString();
            int start = random.nextInt(3) == 0 ? Math.min(1, text.length()) : 0;
            for (String type : TYPES) {
                assertThat(PostMediaTypes.isMediaType(text, start, text.length(), type)).as(text + " vs " + type)
                        .isEqualTo(reference(text.substring(start), type));
            }
        }
    }

    private static boolean reference(String headerValue, String type) {
        int semicolon = headerValue.indexOf(';');
        return (semicolon < 0 ? headerValue : headerValue.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT)
                .equals(type);
    }
}
