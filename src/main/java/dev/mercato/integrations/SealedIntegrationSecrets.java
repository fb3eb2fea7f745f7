package dev.mercato.integrations;

import dev.mercato.crypto.SealedValues;
import dev.mercato.crypto.SecretBox;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The integrations' secrets ({@code integrations.secrets}), sealed again under the current key after a rotation. */
@Component
class SealedIntegrationSecrets implements SealedValues {

    private final JdbcClient jdbc;
    private final SecretBox box;

    SealedIntegrationSecrets(JdbcClient jdbc, SecretBox box) {
        this.jdbc = jdbc;
        this.box = box;
    }

    @Override
    public String description() {
        return "integration secrets";
    }

    @Override
    public int sealAgain() {
        int sealed = 0;
        List<Map.Entry<String, byte[]>> rows = jdbc.sql(
                        "select id, secrets from integrations where secrets is not null")
                .query((rs, row) -> Map.entry(rs.getString("id"), rs.getBytes("secrets")))
                .list();
        for (Map.Entry<String, byte[]> row : rows) {
            if (box.sealedWithCurrentKey(row.getValue())) {
                continue;
            }
            byte[] secrets;
            try {
                secrets = box.open(row.getKey(), row.getValue());
            } catch (SecretBox.UnreadableException e) {
                continue; // reported at start (IntegrationService), and in the integration's status
            }
            sealed += jdbc.sql("update integrations set secrets = :again where id = :id and secrets = :before")
                    .param("again", box.seal(row.getKey(), secrets))
                    .param("id", row.getKey())
                    .param("before", row.getValue())
                    .update();
        }
        return sealed;
    }
}
