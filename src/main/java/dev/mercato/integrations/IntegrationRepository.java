package dev.mercato.integrations;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

@Repository
class IntegrationRepository {

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JsonMapper json;

    IntegrationRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    Optional<StoredIntegration> find(String id) {
        return jdbc.sql("""
                select id, settings, secrets, updated_at, updated_by, last_test_at, last_test_ok, last_test_error, version
                from integrations where id = :id""").param("id", id).query(this::map).optional();
    }

    List<StoredIntegration> findAll() {
        return jdbc.sql("""
                select id, settings, secrets, updated_at, updated_by, last_test_at, last_test_ok, last_test_error, version
                from integrations order by id""").query(this::map).list();
    }

    /**
     * Replaces the settings; a change forgets the last test, which tried the previous settings. With
     * {@code expectedVersion}, only if the stored row still has it (0: no row yet); false when it did not.
     */
    boolean saveSettings(
            String id,
            Map<String, Object> settings,
            byte[] sealedSecrets,
            Instant at,
            String by,
            Long expectedVersion) {
        return jdbc.sql("""
                insert into integrations (id, settings, secrets, updated_at, updated_by, version)
                values (:id, cast(:settings as jsonb), :secrets, :at, :by, 1)
                on conflict (id) do update set settings = excluded.settings, secrets = excluded.secrets,
                    updated_at = excluded.updated_at, updated_by = excluded.updated_by,
                    last_test_at = null, last_test_ok = null, last_test_error = null,
                    version = integrations.version + 1
                where cast(:expected as bigint) is null or integrations.version = :expected""")
                        .param("id", id)
                        .param("settings", json.writeValueAsString(settings))
                        .param("secrets", sealedSecrets)
                        .param("at", Timestamp.from(at))
                        .param("by", by)
                        .param("expected", expectedVersion, java.sql.Types.BIGINT)
                        .update()
                == 1;
    }

    void recordTest(String id, Instant at, boolean ok, String error) {
        jdbc.sql("""
                insert into integrations (id, last_test_at, last_test_ok, last_test_error)
                values (:id, :at, :ok, :error)
                on conflict (id) do update set last_test_at = excluded.last_test_at,
                    last_test_ok = excluded.last_test_ok, last_test_error = excluded.last_test_error,
                    version = integrations.version + 1""")
                .param("id", id)
                .param("at", Timestamp.from(at))
                .param("ok", ok)
                .param("error", error)
                .update();
    }

    private StoredIntegration map(ResultSet rs, int row) throws SQLException {
        return new StoredIntegration(
                rs.getString("id"),
                json.readValue(rs.getString("settings"), OBJECT),
                rs.getBytes("secrets"),
                instant(rs, "updated_at"),
                rs.getString("updated_by"),
                instant(rs, "last_test_at"),
                (Boolean) rs.getObject("last_test_ok"),
                rs.getString("last_test_error"),
                rs.getLong("version"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
