package dev.mercato.users;

import static dev.mercato.shared.SqlValues.instant;

import dev.mercato.shared.Page;
import dev.mercato.shared.PageParams;
import dev.mercato.shared.SqlPaging;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class UserRepository {

    private static final String COLUMNS =
            "id, username, email, status, first_name, last_name, phone, created_at, updated_at, version";

    private final JdbcClient jdbc;

    UserRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<User> findById(String id) {
        return jdbc.sql("select " + COLUMNS + " from users where id = :id")
                .param("id", id)
                .query(UserRepository::map)
                .optional();
    }

    /** Reads and locks the row until the transaction ends, for a read-modify-write. */
    Optional<User> findByIdForUpdate(String id) {
        return jdbc.sql("select " + COLUMNS + " from users where id = :id for update")
                .param("id", id)
                .query(UserRepository::map)
                .optional();
    }

    Page<User> findAll(String status, PageParams page) {
        String from = "from users" + (status == null ? "" : " where status = :status");
        Map<String, Object> params = status == null ? Map.of() : Map.of("status", status);
        return SqlPaging.page(jdbc, COLUMNS, from, "created_at desc, id desc", params, UserRepository::map, page);
    }

    User insert(String id, UserDraft draft) {
        return jdbc.sql("""
                insert into users (id, username, email, status, first_name, last_name, phone)
                values (:id, :username, :email, :status, :firstName, :lastName, :phone)
                returning\s""" + COLUMNS)
                .param("id", id)
                .params(params(draft))
                .query(UserRepository::map)
                .single();
    }

    /** Replaces the writable fields when the version matches (or none is demanded); empty otherwise. */
    Optional<User> update(String id, UserDraft draft, Long expectedVersion) {
        return jdbc.sql("""
                update users set username = :username, email = :email, status = :status,
                    first_name = :firstName, last_name = :lastName, phone = :phone,
                    updated_at = now(), version = version + 1
                where id = :id and (cast(:expected as bigint) is null or version = :expected)
                returning\s""" + COLUMNS)
                .param("id", id)
                .param("expected", expectedVersion, java.sql.Types.BIGINT)
                .params(params(draft))
                .query(UserRepository::map)
                .optional();
    }

    /** Sets (or, with null, removes) the password hash; false when there is no such user. */
    boolean setPasswordHash(String id, String hash) {
        return jdbc.sql("update users set password_hash = :hash, updated_at = now(), version = version + 1 "
                                + "where id = :id")
                        .param("id", id)
                        .param("hash", hash)
                        .update()
                == 1;
    }

    List<User> findByIds(Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select " + COLUMNS + " from users where id = any (:ids)")
                .param("ids", ids.toArray(String[]::new))
                .query(UserRepository::map)
                .list();
    }

    /** The user with this username (without regard to case) and the hash of their password ("" when none). */
    Optional<Map.Entry<User, String>> findWithPasswordHash(String username) {
        return jdbc.sql("select " + COLUMNS + ", password_hash from users where lower(username) = lower(:username)")
                .param("username", username)
                .query((rs, row) -> Map.entry(
                        map(rs, row),
                        Optional.ofNullable(rs.getString("password_hash")).orElse("")))
                .optional();
    }

    boolean delete(String id, Long expectedVersion) {
        return jdbc.sql("""
                delete from users where id = :id and (cast(:expected as bigint) is null or version = :expected)
                """)
                        .param("id", id)
                        .param("expected", expectedVersion, java.sql.Types.BIGINT)
                        .update()
                == 1;
    }

    private static Map<String, Object> params(UserDraft draft) {
        var params = new HashMap<String, Object>();
        params.put("username", draft.username());
        params.put("email", draft.email());
        params.put("status", draft.status());
        params.put("firstName", draft.profile() == null ? null : draft.profile().firstName());
        params.put("lastName", draft.profile() == null ? null : draft.profile().lastName());
        params.put("phone", draft.profile() == null ? null : draft.profile().phone());
        return params;
    }

    private static User map(ResultSet rs, int row) throws SQLException {
        return new User(
                rs.getString("id"),
                rs.getString("username"),
                rs.getString("email"),
                rs.getString("status"),
                new User.Profile(rs.getString("first_name"), rs.getString("last_name"), rs.getString("phone")),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                rs.getLong("version"));
    }
}
