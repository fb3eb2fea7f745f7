package dev.mercato.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportWriterTest {

    @Test
    void csvIsRfc4180WithAHeaderLineAndPlainNumbers() {
        String csv = csv(row("prod_1", "Chair, \"Deluxe\"", new BigDecimal("1E+2"), null));

        assertThat(csv)
                .isEqualTo("product_id,product_name,stock,units_sold,units_per_day,days_of_stock_left\r\n"
                        + "prod_1,\"Chair, \"\"Deluxe\"\"\",100,,,\r\n");
    }

    @Test
    void aTextCellThatASpreadsheetWouldRunAsAFormulaStaysText() {
        assertThat(csv(row("prod_2", "=HYPERLINK(\"http://example.com\")", BigDecimal.ONE, null)))
                .contains("prod_2,\"'=HYPERLINK(\"\"http://example.com\"\")\",1,");
        assertThat(csv(row("prod_3", "@SUM(A1)", BigDecimal.ONE, null))).contains("prod_3,\"'@SUM(A1)\",1,");
    }

    private static Map<String, Object> row(String id, String name, BigDecimal stock, Object unitsSold) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("product_id", id);
        row.put("product_name", name);
        row.put("stock", stock);
        row.put("units_sold", unitsSold);
        return row;
    }

    private static String csv(Map<String, Object> row) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ReportWriter writer = ReportWriter.csv(out, ReportType.INVENTORY)) {
            writer.write(row);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
