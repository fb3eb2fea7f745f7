package dev.mercato.auth;

import static dev.mercato.shared.SqlValues.instant;
import static dev.mercato.shared.SqlValues.timestamp;

import dev.mercato.security.Scope;
import dev.mercato.shared.Page;
import dev.mercato.shared.PageParams;
import dev.mercato.shared.SqlPaging;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class ApiKeyRepository {

    private static final String COLUMNS =
            "id, name, key_prefix, scopes, user_id, rate_limit_per_minute, created_at, expires_at, revoked_at";

    private final JdbcClient jdbc;

    ApiKeyRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(ApiKey key, byte[] keyHash, boolean bootstrap) {
        jdbc.sql("""
                insert into api_keys (id, name, key_hash, key_prefix, scopes, user_id, rate_limit_per_minute, bootstrap,
                    created_at, expires_at)
                values (:id, :name, :hash, :prefix, :scopes, :userId, :rateLimit, :bootstrap, :createdAt, :expiresAt)
                """)
                .param("id", key.id())
                .param("name", key.name())
                .param("hash", keyHash)
                .param("prefix", key.keyPrefix())
                .param("scopes", key.scopes().stream().map(Scope::value).toArray(String[]::new))
                .param("userId", key.userId())
                .param("rateLimit", key.rateLimitPerMinute())
                .param("bootstrap", bootstrap)
                .param("createdAt", timestamp(key.createdAt()))
                .param("expiresAt", timestamp(key.expiresAt()))
                .update();
    }

    boolean bootstrapExists() {
        return jdbc.sql("select exists (select 1 from api_keys where bootstrap)")
                .query(Boolean.class)
                .single();
    }

    Optional<ApiKey> findByHash(byte[] keyHash) {
        return jdbc.sql("select " + COLUMNS + " from api_keys where key_hash = :hash")
                .param("hash", keyHash)
                .query(ApiKeyRepository::map)
                .optional();
    }

    Optional<ApiKey> findById(String id) {
        return jdbc.sql("select " + COLUMNS + " from api_keys where id = :id")
                .param("id", id)
                .query(ApiKeyRepository::map)
                .optional();
    }

    Page<ApiKey> findAll(PageParams page) {
        return SqlPaging.page(
                jdbc, COLUMNS, "from api_keys", "created_at desc, id desc", Map.of(), ApiKeyRepository::map, page);
    }

    Page<ApiKey> findByUser(String userId, PageParams page) {
        return SqlPaging.page(
                jdbc,
                COLUMNS,
                "from api_keys where user_id = :userId",
                "created_at desc, id desc",
                Map.of("userId", userId),
                ApiKeyRepository::map,
                page);
    }

    /** Marks the key revoked (keeping the first revocation time) and returns its hash for cache eviction. */
    Optional<byte[]> revoke(String id, Instant now) {
        return jdbc.sql("""
                update api_keys set revoked_at = coalesce(revoked_at, :now) where id = :id returning key_hash
                """)
                .param("id", id)
                .param("now", timestamp(now))
                .query((rs, row) -> rs.getBytes(1))
                .optional();
    }

    /** Revokes every usable key of a user; returns their hashes for cache eviction. */
    List<byte[]> revokeAllOfUser(String userId, Instant now) {
        return jdbc.sql("""
                update api_keys set revoked_at = :now where user_id = :userId and revoked_at is null returning key_hash
                """)
                .param("userId", userId)
                .param("now", timestamp(now))
                .query((rs, row) -> rs.getBytes(1))
                .list();
    }

    private static ApiKey map(ResultSet rs, int row) throws SQLException {
        return new ApiKey(
                rs.getString("id"),
                rs.getString("name"),
                rs.getString("key_prefix"),
                scopes(rs.getArray("scopes")),
                rs.getString("user_id"),
                rs.getObject("rate_limit_per_minute", Integer.class),
                instant(rs, "created_at"),
                instant(rs, "expires_at"),
                instant(rs, "revoked_at"));
    }

    private static Set<Scope> scopes(Array array) throws SQLException {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        Arrays.stream((String[]) array.getArray())
                .map(Scope::parse)
                .flatMap(Optional::stream)
                .forEach(scopes::add);
        return scopes;
    }
}
