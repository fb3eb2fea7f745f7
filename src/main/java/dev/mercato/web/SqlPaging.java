package dev.mercato.web;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Reads one page and the list's total in a single query ({@code count(*) over ()}); only a page past the
 * end costs a second, counting query.
 */
public final class SqlPaging {

    private SqlPaging() {
    }

    /**
     * @param columns the select list
     * @param from the {@code from ... where ...} part, with named parameters
     * @param orderBy a stable order (end it with a unique column)
     */
    public static <T> Page<T> page(JdbcClient jdbc, String columns, String from, String orderBy,
            Map<String, ?> params, RowMapper<T> mapper, PageParams page) {
        Map<String, Object> all = new HashMap<>(params);
        all.put("limit", page.limit());
        all.put("offset", page.offset());
        long[] total = {-1};
        List<T> items = jdbc.sql("select " + columns + ", count(*) over () as total_count " + from
                        + " order by " + orderBy + " limit :limit offset :offset")
                .params(all)
                .query((rs, row) -> {
                    total[0] = rs.getLong("total_count");
                    return mapper.mapRow(rs, row);
                })
                .list();
        if (total[0] < 0) {
            total[0] = jdbc.sql("select count(*) " + from).params(params).query(Long.class).single();
        }
        return new Page<>(items, total[0]);
    }
}
