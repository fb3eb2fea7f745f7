package dev.mercato.auth.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class OAuthRevocationTest {

    @Test
    void notificationPayloadRoundTrips() {
        Instant expiry = Instant.parse("2030-01-02T03:04:05Z");
        Revocation token = Revocation.token("b202e379-08c2-4660-bcc6-eee39e172e45", expiry);
        Revocation client = Revocation.client("cli_W9AgBlGxuF9QFSj6wtwAaCzp", expiry);

        assertThat(token.payload()).isEqualTo("token b202e379-08c2-4660-bcc6-eee39e172e45 1893553445");
        assertThat(Revocation.parse(token.payload())).contains(token);
        assertThat(Revocation.parse(client.payload())).contains(client);
    }

    @Test
    void garbagePayloadIsIgnored() {
        for (String payload :
                new String[] {null, "", "token", "token x", "user x 1", "token x y", "token  1", "token x 1 extra"}) {
            assertThat(Revocation.parse(payload)).as(String.valueOf(payload)).isEmpty();
        }
    }
}
