package dev.mercato.shared;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Reads one page and the list's total. The page query reads only {@code limit} rows along an index; the
 * total costs a second, counting query only when it cannot be told from the page itself (a full page).
 * A {@code count(*) over ()} in the page query would make every request materialise the whole list, unless
 * the list's order makes the database read it whole anyway ({@link #pageOfWholeList}).
 */
public final class SqlPaging {

    private SqlPaging() {}

    /**
     * @param columns the select list
     * @param from the {@code from ... where ...} part, with named parameters
     * @param orderBy a stable order (end it with a unique column)
     */
    public static <T> Page<T> page(
            JdbcClient jdbc,
            String columns,
            String from,
            String orderBy,
            Map<String, ?> params,
            RowMapper<T> mapper,
            PageParams page) {
        return page(jdbc, columns, from, orderBy, params, mapper, page, () -> countAll(jdbc, from, params));
    }

    /** As above, with the list's total from {@code total} (a kept count, say) when the page cannot tell it. */
    public static <T> Page<T> page(
            JdbcClient jdbc,
            String columns,
            String from,
            String orderBy,
            Map<String, ?> params,
            RowMapper<T> mapper,
            PageParams page,
            LongSupplier total) {
        Map<String, Object> all = withPage(params, page);
        List<T> items = jdbc.sql(
                        "select " + columns + " " + from + " order by " + orderBy + " limit :limit offset :offset")
                .params(all)
                .query(mapper)
                .list();
        boolean lastPage = items.size() < page.limit() && (!items.isEmpty() || page.offset() == 0);
        return new Page<>(items, lastPage ? page.offset() + items.size() : total.getAsLong());
    }

    /**
     * For a list the database reads whole anyway to put it in order (ranked by relevance, say): the total comes
     * with the page from {@code count(*) over ()}, which then costs nothing more, instead of a second query that
     * would find every row again. Only a page past the end, which has no row to carry it, counts separately.
     */
    public static <T> Page<T> pageOfWholeList(
            JdbcClient jdbc,
            String columns,
            String from,
            String orderBy,
            Map<String, ?> params,
            RowMapper<T> mapper,
            PageParams page) {
        Map<String, Object> all = withPage(params, page);
        long[] total = {0};
        List<T> items = jdbc.sql("select " + columns + ", count(*) over () as whole_list_total " + from + " order by "
                        + orderBy + " limit :limit offset :offset")
                .params(all)
                .query((rs, row) -> {
                    total[0] = rs.getLong("whole_list_total");
                    return mapper.mapRow(rs, row);
                })
                .list();
        if (items.isEmpty() && page.offset() > 0) {
            return new Page<>(items, countAll(jdbc, from, params));
        }
        return new Page<>(items, total[0]);
    }

    private static Map<String, Object> withPage(Map<String, ?> params, PageParams page) {
        Map<String, Object> all = new HashMap<>(params);
        all.put("limit", page.limit());
        all.put("offset", page.offset());
        return all;
    }

    private static long countAll(JdbcClient jdbc, String from, Map<String, ?> params) {
        return jdbc.sql("select count(*) " + from)
                .params(params)
                .query(Long.class)
                .single();
    }
}
