package dev.mercato.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/** The loop must judge every string as Spring Security's own expressions do. */
class RequestFirewallTest {

    @Test
    void judgesLikeSpringSecuritysExpressions() {
        Random random = new Random(42);
        int refused = 0;
        for (int n = 0; n < 200_000; n++) {
            String text = randomText(random);
            boolean name = StrictHttpFirewall.ALLOWED_HEADER_NAMES.test(text);
            boolean value = StrictHttpFirewall.ALLOWED_HEADER_VALUES.test(text);
            assertThat(RequestFirewall.assignedAndNotControl(text, false))
                    .as(codePoints(text))
                    .isEqualTo(name);
            assertThat(RequestFirewall.assignedAndNotControl(text, true))
                    .as(codePoints(text))
                    .isEqualTo(value);
            assertThat(RequestFirewall.assignedAndNotControl(text, false))
                    .isEqualTo(StrictHttpFirewall.ALLOWED_PARAMETER_NAMES.test(text));
            refused += name ? 0 : 1;
        }
        assertThat(refused).as("the sample must hold refused strings too").isBetween(10_000, 190_000);
    }

    @Test
    void refusesControlCharactersAndUnassignedCodePoints() {
        assertThat(RequestFirewall.assignedAndNotControl("Bearer abc.def-ghi_", false))
                .isTrue();
        assertThat(RequestFirewall.assignedAndNotControl("", false)).isTrue();
        assertThat(RequestFirewall.assignedAndNotControl("a\tb", false)).isFalse();
        assertThat(RequestFirewall.assignedAndNotControl("a\tb", true)).isTrue();
        assertThat(RequestFirewall.assignedAndNotControl("a\r\nX-Injected: 1", true))
                .isFalse();
        assertThat(RequestFirewall.assignedAndNotControl("a\u0000", true)).isFalse();
        assertThat(RequestFirewall.assignedAndNotControl("\u0378", true)).isFalse(); // unassigned
        assertThat(RequestFirewall.assignedAndNotControl("caf\u00e9 \uD83D\uDE00", true))
                .isTrue();
    }

    /** Mostly printable ASCII, with controls, tabs, unassigned code points, surrogates (paired and lone). */
    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(12);
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(10)) {
                case 0 -> text.append((char) random.nextInt(0x20));
                case 1 -> text.append('\t');
                case 2 -> text.appendCodePoint(random.nextInt(0x110000));
                case 3 -> text.append((char) (0xD800 + random.nextInt(0x800)));
                case 4 -> text.append((char) (0x7F + random.nextInt(0x21)));
                default -> text.append((char) (0x20 + random.nextInt(0x5F)));
            }
        }
        return text.toString();
    }

    private static String codePoints(String text) {
        return text.codePoints().mapToObj(Integer::toHexString).toList().toString();
    }
}
