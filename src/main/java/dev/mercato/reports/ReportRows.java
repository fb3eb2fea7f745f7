package dev.mercato.reports;

import dev.mercato.shared.Money;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/** A report's rows as the API shows them: keys in the type's column order, amounts at their currency's precision. */
final class ReportRows {

    private ReportRows() {}

    /** The row as stored (a JSON object read back, its keys in any order) as the API shows it. */
    static Map<String, Object> present(ReportType type, Map<String, Object> stored) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (ReportColumn column : type.columns()) {
            Object value = stored.get(column.name());
            if (column.isMoney() && value != null) {
                value = Money.normalize(decimal(value), (String) stored.get(ReportColumn.CURRENCY));
            } else if (ReportColumn.DECIMAL.equals(column.type()) && value != null) {
                value = decimal(value);
            }
            row.put(column.name(), value);
        }
        return row;
    }

    private static BigDecimal decimal(Object value) {
        return value instanceof BigDecimal exact ? exact : new BigDecimal(value.toString());
    }
}
