package bench.ceiling;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * What this machine serves when nothing but the web framework, the pool and the driver stand around Mercato's
 * product select: the benchmark reports every Mercato scenario as a share of this app's rate, measured in the
 * same run.
 */
@SpringBootApplication
public class CeilingApplication {

    public static void main(String[] args) {
        SpringApplication.run(CeilingApplication.class, args);
    }

    record Product(
            String id,
            String name,
            String description,
            BigDecimal price,
            String currency,
            int stock,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt) {}

    @RestController
    static class Products {

        private final JdbcClient jdbc;

        Products(JdbcClient jdbc) {
            this.jdbc = jdbc;
        }

        /** The same statement and columns as Mercato's {@code GET /v2/products/{id}}. */
        @GetMapping("/v2/products/{id}")
        ResponseEntity<Product> get(@PathVariable String id) {
            return ResponseEntity.of(jdbc.sql("select id, name, description, price, currency, stock, created_at,"
                            + " updated_at, version from products where id = :id")
                    .param("id", id)
                    .query((rs, row) -> new Product(
                            rs.getString("id"),
                            rs.getString("name"),
                            rs.getString("description"),
                            rs.getBigDecimal("price"),
                            rs.getString("currency"),
                            rs.getInt("stock"),
                            rs.getObject("created_at", OffsetDateTime.class),
                            rs.getObject("updated_at", OffsetDateTime.class)))
                    .optional());
        }
    }
}
