package dev.mercato.dashboard;

import static dev.mercato.shared.SqlValues.instant;

import dev.mercato.security.Scope;
import dev.mercato.shared.Page;
import dev.mercato.shared.PageParams;
import dev.mercato.shared.SqlPaging;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code developers} table; usernames are the users module's and are added by {@link DeveloperService}. */
@Repository
class DeveloperRepository {

    /** A stored grant: the user's id, the scopes and when the role was first given. */
    record Grant(String userId, Set<Scope> scopes, java.time.Instant grantedAt) {}

    private final JdbcClient jdbc;

    DeveloperRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Grant> find(String userId) {
        return jdbc.sql("select user_id, scopes, granted_at from developers where user_id = :userId")
                .param("userId", userId)
                .query(DeveloperRepository::map)
                .optional();
    }

    Page<Grant> findAll(PageParams page) {
        return SqlPaging.page(
                jdbc,
                "user_id, scopes, granted_at",
                "from developers",
                "granted_at desc, user_id desc",
                Map.of(),
                DeveloperRepository::map,
                page);
    }

    /** Gives the role, or changes the scopes of a developer already; the first grant's time is kept. */
    void upsert(String userId, Set<Scope> scopes) {
        jdbc.sql("""
                insert into developers (user_id, scopes) values (:userId, :scopes)
                on conflict (user_id) do update set scopes = excluded.scopes, updated_at = now()""")
                .param("userId", userId)
                .param("scopes", scopes.stream().map(Scope::value).toArray(String[]::new))
                .update();
    }

    boolean delete(String userId) {
        return jdbc.sql("delete from developers where user_id = :userId")
                        .param("userId", userId)
                        .update()
                == 1;
    }

    private static Grant map(ResultSet rs, int row) throws SQLException {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        Arrays.stream((String[]) rs.getArray("scopes").getArray())
                .map(Scope::parse)
                .flatMap(Optional::stream)
                .forEach(scopes::add);
        return new Grant(rs.getString("user_id"), scopes, instant(rs, "granted_at"));
    }
}
