package dev.mercato.auth.oauth;

import static dev.mercato.shared.SqlValues.instant;
import static dev.mercato.shared.SqlValues.timestamp;

import dev.mercato.security.Scope;
import dev.mercato.shared.Page;
import dev.mercato.shared.PageParams;
import dev.mercato.shared.SqlPaging;
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

/**
 * Reads, secret updates and deletions on Spring's {@code oauth2_registered_client} table. New clients are
 * written through Spring's {@code RegisteredClientRepository}, which owns the encoding of their settings.
 * Spring stores lists as comma-separated text.
 */
@Repository
class OAuthClientRepository {

    private static final String COLUMNS =
            "client_id, client_name, scopes, redirect_uris, authorization_grant_types, rate_limit_per_minute, "
                    + "client_id_issued_at, owner_user_id";

    private static final int PURGE_BATCH = 5_000;

    private final JdbcClient jdbc;

    OAuthClientRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Page<OAuthClient> findAll(PageParams page) {
        return SqlPaging.page(
                jdbc,
                COLUMNS,
                "from oauth2_registered_client",
                "client_id_issued_at desc, id desc",
                Map.of(),
                OAuthClientRepository::map,
                page);
    }

    Page<OAuthClient> findByOwner(String ownerUserId, PageParams page) {
        return SqlPaging.page(
                jdbc,
                COLUMNS,
                "from oauth2_registered_client where owner_user_id = :owner",
                "client_id_issued_at desc, id desc",
                Map.of("owner", ownerUserId),
                OAuthClientRepository::map,
                page);
    }

    List<String> findIdsByOwner(String ownerUserId) {
        return jdbc.sql("select client_id from oauth2_registered_client where owner_user_id = :owner")
                .param("owner", ownerUserId)
                .query(String.class)
                .list();
    }

    Optional<OAuthClient> findById(String clientId) {
        return jdbc.sql("select " + COLUMNS + " from oauth2_registered_client where client_id = :clientId")
                .param("clientId", clientId)
                .query(OAuthClientRepository::map)
                .optional();
    }

    Optional<OAuthClient.Identity> findIdentity(String clientId) {
        return jdbc.sql("select client_name, rate_limit_per_minute from oauth2_registered_client "
                        + "where client_id = :clientId")
                .param("clientId", clientId)
                .query((rs, row) -> new OAuthClient.Identity(
                        rs.getString("client_name"), rs.getObject("rate_limit_per_minute", Integer.class)))
                .optional();
    }

    /** What Spring's table has no column for: the client's own rate limit and the developer who owns it. */
    void updateLimitAndOwner(String clientId, Integer rateLimitPerMinute, String ownerUserId) {
        jdbc.sql("update oauth2_registered_client set rate_limit_per_minute = :limit, owner_user_id = :owner "
                        + "where client_id = :clientId")
                .param("clientId", clientId)
                .param("limit", rateLimitPerMinute, java.sql.Types.INTEGER)
                .param("owner", ownerUserId, java.sql.Types.VARCHAR)
                .update();
    }

    /** Replaces the secret, and tells every server so when the transaction commits. */
    boolean updateSecret(String clientId, String encodedSecret) {
        boolean updated =
                jdbc.sql("update oauth2_registered_client set client_secret = :secret where client_id = :clientId")
                                .param("secret", encodedSecret)
                                .param("clientId", clientId)
                                .update()
                        == 1;
        if (updated) {
            CachedRegisteredClients.announceChange(jdbc, clientId);
        }
        return updated;
    }

    /**
     * Deletes the client with its grants and consents (the foreign keys cascade), and tells every server so when
     * the transaction commits.
     */
    boolean delete(String clientId) {
        boolean deleted = jdbc.sql("delete from oauth2_registered_client where client_id = :clientId")
                        .param("clientId", clientId)
                        .update()
                == 1;
        if (deleted) {
            CachedRegisteredClients.announceChange(jdbc, clientId);
        }
        return deleted;
    }

    /**
     * Deletes grants whose every token has expired, in batches (for client_credentials: one row per token). A
     * grant with no expiry at all (an authorization request never completed) goes a day after it was made.
     */
    int deleteExpiredAuthorizations(Instant expiredBefore, Instant createdBefore) {
        int total = 0;
        int deleted;
        do {
            deleted = jdbc.sql("""
                    delete from oauth2_authorization where id in (
                        select id from oauth2_authorization
                        where created_at < :createdBefore
                          and coalesce(greatest(access_token_expires_at, refresh_token_expires_at,
                                                authorization_code_expires_at, oidc_id_token_expires_at,
                                                user_code_expires_at, device_code_expires_at),
                                       created_at + interval '1 day') < :expiredBefore
                        limit :batch)
                    """)
                    .param("createdBefore", timestamp(createdBefore))
                    .param("expiredBefore", timestamp(expiredBefore))
                    .param("batch", PURGE_BATCH)
                    .update();
            total += deleted;
        } while (deleted == PURGE_BATCH);
        return total;
    }

    private static OAuthClient map(ResultSet rs, int row) throws SQLException {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        split(rs.getString("scopes")).stream()
                .map(Scope::parse)
                .flatMap(Optional::stream)
                .forEach(scopes::add);
        return new OAuthClient(
                rs.getString("client_id"),
                rs.getString("client_name"),
                scopes,
                split(rs.getString("redirect_uris")),
                split(rs.getString("authorization_grant_types")),
                rs.getObject("rate_limit_per_minute", Integer.class),
                instant(rs, "client_id_issued_at"),
                rs.getString("owner_user_id"));
    }

    private static List<String> split(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return List.of();
        }
        // Sorted: Spring keeps these as sets, so the stored order means nothing and would vary between reads.
        return Arrays.stream(commaSeparated.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .sorted()
                .toList();
    }
}
