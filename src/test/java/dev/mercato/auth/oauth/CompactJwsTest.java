package dev.mercato.auth.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Which bearer values are taken for access tokens: the loop must agree with the grammar it replaced. */
class CompactJwsTest {

    private static final Pattern GRAMMAR = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

    @Test
    void agreesWithTheGrammar() {
        Random random = new Random(7);
        String alphabet = "aZ09-_..+/= ";
        int taken = 0;
        for (int n = 0; n < 200_000; n++) {
            StringBuilder token = new StringBuilder();
            int length = random.nextInt(9);
            for (int i = 0; i < length; i++) {
                token.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            boolean expected = GRAMMAR.matcher(token).matches();
            assertThat(AccessTokenVerifier.compactJws(token.toString()))
                    .as(token.toString())
                    .isEqualTo(expected);
            taken += expected ? 1 : 0;
        }
        assertThat(taken).as("the sample must hold tokens of both kinds").isBetween(1_000, 199_000);
    }

    @Test
    void takesTokensAndLeavesApiKeys() {
        assertThat(AccessTokenVerifier.compactJws("eyJh.eyJz.c2ln")).isTrue();
        assertThat(AccessTokenVerifier.compactJws("eyJh.eyJz.")).isTrue(); // "alg": "none": taken, then refused
        assertThat(AccessTokenVerifier.compactJws("eyJh..c2ln")).isFalse();
        assertThat(AccessTokenVerifier.compactJws(".eyJz.c2ln")).isFalse();
        assertThat(AccessTokenVerifier.compactJws("a.b.c.d")).isFalse();
        assertThat(AccessTokenVerifier.compactJws("mk_live_0123456789abcdef")).isFalse();
        assertThat(AccessTokenVerifier.compactJws("")).isFalse();
    }
}
