package dev.mercato.shared;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Reads one page and the list's total. The page query reads only {@code limit} rows along an index; the
 * total costs a second, counting query only when it cannot be told from the page itself (a full page).
 * A {@code count(*) over ()} in the page query would make every request materialise the whole list.
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
        Map<String, Object> all = new HashMap<>(params);
        all.put("limit", page.limit());
        all.put("offset", page.offset());
        List<T> items = jdbc.sql(
                        "select " + columns + " " + from + " order by " + orderBy + " limit :limit offset :offset")
                .params(all)
                .query(mapper)
                .list();
        boolean lastPage = items.size() < page.limit() && (!items.isEmpty() || page.offset() == 0);
        long total = lastPage
                ? page.offset() + items.size()
                : jdbc.sql("select count(*) " + from)
                        .params(params)
                        .query(Long.class)
                        .single();
        return new Page<>(items, total);
    }
}
