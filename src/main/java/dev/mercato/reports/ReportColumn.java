package dev.mercato.reports;

/**
 * A column of a report type's rows: its name (a key of each JSON row, a CSV header) and what its values are.
 *
 * @param type {@code date} (ISO 8601), {@code string}, {@code integer}, {@code decimal}, or {@code money}: an exact
 *     amount with the minor-unit precision of the row's {@code currency}
 */
record ReportColumn(String name, String type, String description) {

    static final String DATE = "date";
    static final String STRING = "string";
    static final String INTEGER = "integer";
    static final String DECIMAL = "decimal";
    static final String MONEY = "money";

    /** The column a money column's currency is read from. */
    static final String CURRENCY = "currency";

    boolean isMoney() {
        return MONEY.equals(type);
    }
}
