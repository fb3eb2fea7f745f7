package dev.mercato.reports;

/**
 * A column of a report type's rows: its name (a key of each JSON row, a CSV header) and what its values are.
 *
 * @param type {@code date} (ISO 8601), {@code string}, {@code integer}, {@code decimal}, or {@code money}: an exact
 *     amount with the minor-unit precision of the row's {@code currency}
 */
public record ReportColumn(String name, String type, String description) {

    public static final String DATE = "date";
    public static final String STRING = "string";
    public static final String INTEGER = "integer";
    public static final String DECIMAL = "decimal";
    public static final String MONEY = "money";

    /** The column a money column's currency is read from. */
    public static final String CURRENCY = "currency";

    public boolean isMoney() {
        return MONEY.equals(type);
    }
}
