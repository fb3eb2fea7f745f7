package dev.mercato.logs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AccessLogEntryTest {

    @Test
    void controlCharactersInACallersNameAreWrittenOutNotPassedOn() {
        String forged =
                "User 'evil\r\n2026-12-05 INFO admin signed in\u001b[2J\u2028' accessed GET /v2/users (200, 3 ms).";

        String printable = AccessLogEntry.printable(forged);

        assertThat(printable)
                .isEqualTo("User 'evil\\u000d\\u000a2026-12-05 INFO admin signed in\\u001b[2J\\u2028' accessed GET "
                        + "/v2/users (200, 3 ms).")
                .doesNotContainPattern("\\p{Cntrl}");
    }

    @Test
    void plainTextIsLeftAsItIs() {
        String plain = "User 'Ada Lovelace – Ω' accessed GET /v2/orders (200, 2 ms).";

        assertThat(AccessLogEntry.printable(plain)).isSameAs(plain);
    }
}
