package dev.mercato.products;

import static dev.mercato.shared.SqlValues.instant;

import dev.mercato.shared.Money;
import dev.mercato.shared.Page;
import dev.mercato.shared.PageParams;
import dev.mercato.shared.SqlPaging;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class ProductRepository {

    private static final String COLUMNS =
            "id, name, description, price, currency, stock, created_at, updated_at, version";
    private static final String NEWEST_FIRST = "created_at desc, id desc";

    private final JdbcClient jdbc;

    ProductRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Product> findById(String id) {
        return jdbc.sql("select " + COLUMNS + " from products where id = :id")
                .param("id", id)
                .query(ProductRepository::map)
                .optional();
    }

    Set<String> findExistingIds(Collection<String> ids) {
        return Set.copyOf(jdbc.sql("select id from products where id = any(:ids)")
                .param("ids", ids.toArray(String[]::new))
                .query(String.class)
                .list());
    }

    /** Reads and locks the row until the transaction ends, for a read-modify-write. */
    Optional<Product> findByIdForUpdate(String id) {
        return jdbc.sql("select " + COLUMNS + " from products where id = :id for update")
                .param("id", id)
                .query(ProductRepository::map)
                .optional();
    }

    Page<Product> findAll(PageParams page) {
        return SqlPaging.page(
                jdbc, COLUMNS, "from products", NEWEST_FIRST, Map.of(), ProductRepository::map, page, this::count);
    }

    /** Matches by relevance when there is a text query, newest first otherwise. */
    Page<Product> search(ProductSearch search, PageParams page) {
        List<String> conditions = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        String columns = COLUMNS;
        String order = NEWEST_FIRST;
        String from = "from products";
        if (search.query() != null) {
            from += ", websearch_to_tsquery('english', :query) as query";
            conditions.add("search_vector @@ query");
            params.put("query", search.query());
            columns += ", ts_rank_cd(search_vector, query) as rank";
            order = "rank desc, " + NEWEST_FIRST;
        }
        if (search.minPrice() != null) {
            conditions.add("price >= :minPrice");
            params.put("minPrice", search.minPrice());
        }
        if (search.maxPrice() != null) {
            conditions.add("price <= :maxPrice");
            params.put("maxPrice", search.maxPrice());
        }
        if (search.currency() != null) {
            conditions.add("currency = :currency");
            params.put("currency", search.currency());
        }
        if (search.inStock() != null) {
            conditions.add(search.inStock() ? "stock > 0" : "stock = 0");
        }
        if (!conditions.isEmpty()) {
            from += " where " + String.join(" and ", conditions);
        }
        // Ranking orders every match, so the database reads them all anyway: the total comes with the page.
        return search.query() != null
                ? SqlPaging.pageOfWholeList(jdbc, columns, from, order, params, ProductRepository::map, page)
                : SqlPaging.page(jdbc, columns, from, order, params, ProductRepository::map, page);
    }

    Product insert(String id, ProductDraft draft) {
        return jdbc.sql("""
                insert into products (id, name, description, price, currency, stock)
                values (:id, :name, :description, :price, :currency, :stock)
                returning\s""" + COLUMNS)
                .param("id", id)
                .params(params(draft))
                .query(ProductRepository::map)
                .single();
    }

    /** Replaces the writable fields when the version matches (or none is demanded); empty otherwise. */
    Optional<Product> update(String id, ProductDraft draft, Long expectedVersion) {
        return jdbc.sql("""
                update products set name = :name, description = :description, price = :price,
                    currency = :currency, stock = :stock, updated_at = now(), version = version + 1
                where id = :id and (cast(:expected as bigint) is null or version = :expected)
                returning\s""" + COLUMNS)
                .param("id", id)
                .param("expected", expectedVersion, java.sql.Types.BIGINT)
                .params(params(draft))
                .query(ProductRepository::map)
                .optional();
    }

    boolean delete(String id, Long expectedVersion) {
        return jdbc.sql("""
                delete from products where id = :id and (cast(:expected as bigint) is null or version = :expected)
                """)
                        .param("id", id)
                        .param("expected", expectedVersion, java.sql.Types.BIGINT)
                        .update()
                == 1;
    }

    /**
     * Takes stock with one conditional update (never read-check-write): empty when the product is missing
     * or has less than {@code quantity}. The returned price and name are those of the locked row.
     */
    Optional<StockReservation> takeStock(String id, int quantity) {
        return jdbc.sql("""
                update products set stock = stock - :quantity, updated_at = now(), version = version + 1
                where id = :id and stock >= :quantity
                returning id, name, price, currency
                """)
                .param("id", id)
                .param("quantity", quantity)
                .query((rs, row) -> new StockReservation(
                        rs.getString("id"),
                        rs.getString("name"),
                        rs.getBigDecimal("price"),
                        rs.getString("currency"),
                        quantity))
                .optional();
    }

    /** Puts stock back; a product deleted since has nothing to return it to. */
    void returnStock(String id, int quantity) {
        jdbc.sql("""
                update products set stock = stock + :quantity, updated_at = now(), version = version + 1
                where id = :id
                """).param("id", id).param("quantity", quantity).update();
    }

    /** Kept by triggers on products (V30), so reading it costs one row, not a scan. */
    long count() {
        return jdbc.sql("select total from product_count").query(Long.class).single();
    }

    private static Map<String, Object> params(ProductDraft draft) {
        Map<String, Object> params = new HashMap<>();
        params.put("name", draft.name());
        params.put("description", draft.description());
        params.put("price", draft.price());
        params.put("currency", draft.currency());
        params.put("stock", draft.stock());
        return params;
    }

    private static Product map(ResultSet rs, int row) throws SQLException {
        String currency = rs.getString("currency");
        return new Product(
                rs.getString("id"),
                rs.getString("name"),
                rs.getString("description"),
                Money.normalize(rs.getBigDecimal("price"), currency),
                currency,
                rs.getInt("stock"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                rs.getLong("version"));
    }
}
