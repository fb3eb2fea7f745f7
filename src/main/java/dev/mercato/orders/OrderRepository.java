package dev.mercato.orders;

import static dev.mercato.shared.SqlValues.instant;

import dev.mercato.shared.Page;
import dev.mercato.shared.PageParams;
import dev.mercato.shared.SqlPaging;
import dev.mercato.shared.SqlWhere;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class OrderRepository {

    private static final String COLUMNS = "id, user_id, status, total_amount, currency, ship_street, ship_city, "
            + "ship_zip_code, ship_country, created_at, updated_at, version";

    private final JdbcClient jdbc;
    private final NamedParameterJdbcOperations batches;

    OrderRepository(JdbcClient jdbc, NamedParameterJdbcOperations batches) {
        this.jdbc = jdbc;
        this.batches = batches;
    }

    void insert(Order order) {
        Order.ShippingAddress address = order.shippingAddress();
        jdbc.sql("""
                insert into orders (id, user_id, status, total_amount, currency, ship_street, ship_city,
                    ship_zip_code, ship_country, created_at, updated_at)
                values (:id, :userId, :status, :total, :currency, :street, :city, :zip, :country, :now, :now)
                """)
                .param("id", order.id())
                .param("userId", order.userId())
                .param("status", order.status())
                .param("total", order.totalAmount())
                .param("currency", order.currency())
                .param("street", address.street())
                .param("city", address.city())
                .param("zip", address.zipCode())
                .param("country", address.country())
                .param("now", java.sql.Timestamp.from(order.createdAt()))
                .update();
        // One batch, which the driver sends as one multi-row insert (reWriteBatchedInserts).
        List<Order.Line> lines = order.lines();
        SqlParameterSource[] rows = new SqlParameterSource[lines.size()];
        for (int i = 0; i < rows.length; i++) {
            Order.Line line = lines.get(i);
            rows[i] = new MapSqlParameterSource()
                    .addValue("orderId", order.id())
                    .addValue("lineNumber", i + 1)
                    .addValue("productId", line.productId())
                    .addValue("name", line.productName())
                    .addValue("quantity", line.quantity())
                    .addValue("unitPrice", line.unitPrice())
                    .addValue("lineTotal", line.lineTotal());
        }
        batches.batchUpdate("""
                insert into order_items (order_id, line_number, product_id, product_name, quantity, unit_price,
                    line_total)
                values (:orderId, :lineNumber, :productId, :name, :quantity, :unitPrice, :lineTotal)
                """, rows);
    }

    Optional<Order> findById(String id) {
        return withLines(jdbc.sql("select " + COLUMNS + " from orders where id = :id")
                        .param("id", id)
                        .query(OrderRepository::map)
                        .list())
                .stream()
                .findFirst();
    }

    /** Reads and locks the order until the transaction ends. */
    Optional<Order> findByIdForUpdate(String id) {
        return withLines(jdbc.sql("select " + COLUMNS + " from orders where id = :id for update")
                        .param("id", id)
                        .query(OrderRepository::map)
                        .list())
                .stream()
                .findFirst();
    }

    Optional<String> findOwner(String orderId) {
        return jdbc.sql("select user_id from orders where id = :id")
                .param("id", orderId)
                .query(String.class)
                .optional();
    }

    List<String> findIdsByUser(String userId) {
        return jdbc.sql("select id from orders where user_id = :userId")
                .param("userId", userId)
                .query(String.class)
                .list();
    }

    Page<Order> find(String userId, String status, PageParams page) {
        SqlWhere where =
                new SqlWhere().and("user_id = :userId", "userId", userId).and("status = :status", "status", status);
        String from = "from orders" + where.sql();
        Page<Order> orders = SqlPaging.page(
                jdbc, COLUMNS, from, "created_at desc, id desc", where.params(), OrderRepository::map, page);
        return new Page<>(withLines(orders.items()), orders.total());
    }

    /** Moves the order to {@code to} only if it is still in {@code from}; false otherwise. */
    boolean changeStatus(String id, String from, String to) {
        return jdbc.sql("""
                update orders set status = :to, updated_at = now(), version = version + 1
                where id = :id and status = :from
                """).param("id", id).param("from", from).param("to", to).update() == 1;
    }

    /** Loads the lines of all the given orders in one query (never one query per order). */
    private List<Order> withLines(List<Order> orders) {
        if (orders.isEmpty()) {
            return orders;
        }
        Map<String, List<Order.Line>> lines = new LinkedHashMap<>();
        orders.forEach(order -> lines.put(order.id(), new ArrayList<>()));
        jdbc.sql("""
                select order_id, product_id, product_name, quantity, unit_price, line_total from order_items
                where order_id = any(:ids) order by order_id, line_number
                """).param("ids", lines.keySet().toArray(String[]::new)).query((ResultSet rs) -> {
            lines.get(rs.getString("order_id"))
                    .add(new Order.Line(
                            rs.getString("product_id"),
                            rs.getString("product_name"),
                            rs.getInt("quantity"),
                            rs.getBigDecimal("unit_price"),
                            rs.getBigDecimal("line_total")));
        });
        return orders.stream()
                .map(order -> order.withLines(lines.get(order.id())).inCurrencyPrecision())
                .toList();
    }

    private static Order map(ResultSet rs, int row) throws SQLException {
        return new Order(
                rs.getString("id"),
                rs.getString("user_id"),
                rs.getString("status"),
                List.of(),
                rs.getBigDecimal("total_amount"),
                rs.getString("currency"),
                new Order.ShippingAddress(
                        rs.getString("ship_street"),
                        rs.getString("ship_city"),
                        rs.getString("ship_zip_code"),
                        rs.getString("ship_country")),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                rs.getLong("version"));
    }
}
