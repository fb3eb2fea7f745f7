package dev.mercato.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Where a value is kept in clear in the database: every column of every table that can hold text or bytes (text,
 * character, json, bytea and arrays of them) is searched for it as it is and in the encodings a value would be
 * stored in (base64, base64url, hex; a bytea column reads as hex). A value sealed or hashed is found nowhere.
 */
public final class ClearValues {

    private ClearValues() {}

    /** The columns ({@code table.column}) holding {@code value}, its UTF-8 bytes or their encodings. */
    public static List<String> whereStored(JdbcClient jdbc, String value) {
        return whereStored(jdbc, value.getBytes(StandardCharsets.UTF_8), List.of(value));
    }

    /** The columns ({@code table.column}) holding {@code value} in one of its encodings. */
    public static List<String> whereStored(JdbcClient jdbc, byte[] value) {
        return whereStored(jdbc, value, List.of());
    }

    private static List<String> whereStored(JdbcClient jdbc, byte[] value, List<String> asText) {
        List<String> forms = new ArrayList<>(asText);
        forms.add(HexFormat.of().formatHex(value));
        forms.add(Base64.getEncoder().encodeToString(value));
        forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(value));
        Map<String, Object> params = new LinkedHashMap<>();
        for (int i = 0; i < forms.size(); i++) {
            params.put("f" + i, forms.get(i));
        }
        List<String> found = new ArrayList<>();
        columnsByTable(jdbc).forEach((table, columns) -> {
            String tests = columns.stream()
                    .map(column -> "bool_or(" + contains(column, params.size()) + ")")
                    .collect(Collectors.joining(", "));
            List<Boolean> hits = jdbc.sql("select " + tests + " from \"" + table + "\"")
                    .params(params)
                    .query((rs, row) -> {
                        List<Boolean> each = new ArrayList<>();
                        for (int i = 1; i <= columns.size(); i++) {
                            each.add(rs.getBoolean(i));
                        }
                        return each;
                    })
                    .single();
            for (int i = 0; i < columns.size(); i++) {
                if (hits.get(i)) {
                    found.add(table + "." + columns.get(i));
                }
            }
        });
        return found;
    }

    private static String contains(String column, int forms) {
        List<String> each = new ArrayList<>();
        for (int i = 0; i < forms; i++) {
            each.add("strpos(\"" + column + "\"::text, :f" + i + ") > 0");
        }
        return String.join(" or ", each);
    }

    /** The text and byte columns of the schema's tables (its views only show what these hold). */
    private static Map<String, List<String>> columnsByTable(JdbcClient jdbc) {
        Map<String, List<String>> columns = new LinkedHashMap<>();
        jdbc.sql("""
                select c.table_name, c.column_name from information_schema.columns c
                join information_schema.tables t using (table_schema, table_name)
                where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
                  and (c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea')
                       or c.udt_name in ('_text', '_varchar', '_bpchar', '_bytea'))
                order by c.table_name, c.ordinal_position
                """)
                .query((rs, row) -> Map.entry(rs.getString(1), rs.getString(2)))
                .list()
                .forEach(entry -> columns.computeIfAbsent(entry.getKey(), table -> new ArrayList<>())
                        .add(entry.getValue()));
        return columns;
    }
}
