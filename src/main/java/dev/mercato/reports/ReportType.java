package dev.mercato.reports;

import static dev.mercato.reports.ReportParameter.Kind.DATE;
import static dev.mercato.reports.ReportParameter.Kind.STRING;
import static dev.mercato.reports.ReportParameter.Kind.TIME_ZONE;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The report types: what each takes and what its rows hold. Each is computed by its own SQL statement,
 * {@code <type>.sql} beside this class, which reads only the reporting views (docs/reports.md defines every figure).
 */
public enum ReportType {
    SALES_SUMMARY(
            "sales_summary",
            "Sales summary",
            "Orders, units, gross revenue, refunds and net revenue per period and currency. Orders that are paid, "
                    + "shipped or delivered count as sales, in the period they were placed; refunds of them count in "
                    + "the period they were made.",
            List.of(
                    Parameters.START_DATE,
                    Parameters.END_DATE,
                    Parameters.TIMEZONE,
                    ReportParameter.choice("granularity", "The length of each period.", "day", "day", "week", "month"),
                    Parameters.CURRENCY),
            List.of(
                    Columns.PERIOD_START,
                    Columns.CURRENCY,
                    new ReportColumn(
                            "orders", ReportColumn.INTEGER, "Orders placed in the period that count as sales."),
                    new ReportColumn("units", ReportColumn.INTEGER, "Units on those orders."),
                    new ReportColumn("gross_revenue", ReportColumn.MONEY, "Those orders' totals."),
                    new ReportColumn(
                            "refunds",
                            ReportColumn.MONEY,
                            "Refunds of orders that count as sales, made in the period."),
                    new ReportColumn("net_revenue", ReportColumn.MONEY, "Gross revenue less refunds."))),

    TOP_PRODUCTS(
            "top_products",
            "Top products",
            "Products ranked by units sold or by revenue, per currency, over orders placed in the range that count as "
                    + "sales (paid, shipped, delivered).",
            List.of(
                    Parameters.START_DATE,
                    Parameters.END_DATE,
                    Parameters.TIMEZONE,
                    Parameters.CURRENCY,
                    ReportParameter.choice("rank_by", "What ranks the products.", "units", "units", "revenue"),
                    ReportParameter.integer("limit", "How many products per currency.", 10, 1, 100)),
            List.of(
                    Columns.CURRENCY,
                    new ReportColumn("rank", ReportColumn.INTEGER, "Position by the chosen measure, from 1."),
                    new ReportColumn("product_id", ReportColumn.STRING, null),
                    new ReportColumn(
                            "product_name",
                            ReportColumn.STRING,
                            "The product's name now, or as it was sold if it no longer exists."),
                    new ReportColumn("units", ReportColumn.INTEGER, "Units sold."),
                    new ReportColumn(
                            "revenue",
                            ReportColumn.MONEY,
                            "The lines' totals, at the prices the orders were placed at."),
                    new ReportColumn("orders", ReportColumn.INTEGER, "Orders with the product on them."),
                    new ReportColumn("rank_by_units", ReportColumn.INTEGER, null),
                    new ReportColumn("rank_by_revenue", ReportColumn.INTEGER, null))),

    USER_ACTIVITY(
            "user_activity",
            "User activity",
            "Per period: users who joined, users who placed orders (any status) and how many, and users whose "
                    + "credentials called the API (from the access log).",
            List.of(
                    Parameters.START_DATE,
                    Parameters.END_DATE,
                    Parameters.TIMEZONE,
                    ReportParameter.choice(
                            "granularity",
                            "The length of each period; total makes the whole range one period.",
                            "day",
                            "day",
                            "week",
                            "month",
                            "total")),
            List.of(
                    Columns.PERIOD_START,
                    new ReportColumn("new_users", ReportColumn.INTEGER, "Users created in the period."),
                    new ReportColumn("ordering_users", ReportColumn.INTEGER, "Users who placed at least one order."),
                    new ReportColumn("orders", ReportColumn.INTEGER, "Orders placed, in any status."),
                    new ReportColumn(
                            "orders_per_ordering_user", ReportColumn.DECIMAL, "Orders per ordering user, to 2 places."),
                    new ReportColumn(
                            "api_users",
                            ReportColumn.INTEGER,
                            "Users whose credentials (API keys, OAuth clients, tokens) made API requests."))),

    INVENTORY(
            "inventory",
            "Inventory",
            "Products whose stock is at or below a threshold, the units of each sold over the last days (in orders "
                    + "that count as sales), and the days of stock left at that rate.",
            List.of(
                    ReportParameter.integer(
                            "threshold", "Products with at most this many units in stock.", 10, 0, 1_000_000),
                    ReportParameter.integer(
                            "days", "The window of the sales rate: the days before the report.", 30, 1, 365)),
            List.of(
                    new ReportColumn("product_id", ReportColumn.STRING, null),
                    new ReportColumn("product_name", ReportColumn.STRING, null),
                    new ReportColumn("stock", ReportColumn.INTEGER, "Units in stock now."),
                    new ReportColumn("units_sold", ReportColumn.INTEGER, "Units sold in the window."),
                    new ReportColumn("units_per_day", ReportColumn.DECIMAL, "Units sold per day, to 2 places."),
                    new ReportColumn(
                            "days_of_stock_left",
                            ReportColumn.DECIMAL,
                            "Stock divided by units per day, to 1 place; absent when nothing sold."))),

    API_USAGE(
            "api_usage",
            "API usage",
            "API requests per day, credential and status class, with median and 95th-percentile durations, from "
                    + "the access log.",
            List.of(
                    Parameters.START_DATE,
                    Parameters.END_DATE,
                    Parameters.TIMEZONE,
                    ReportParameter.optional(
                            "credential_id", STRING, "Only this API key's or OAuth client's requests.")),
            List.of(
                    new ReportColumn("day", ReportColumn.DATE, "The day, in the report's time zone."),
                    new ReportColumn(
                            "credential_id",
                            ReportColumn.STRING,
                            "The API key or OAuth client; absent for requests without a valid credential."),
                    new ReportColumn("status_class", ReportColumn.STRING, "2xx, 3xx, 4xx or 5xx."),
                    new ReportColumn("requests", ReportColumn.INTEGER, null),
                    new ReportColumn("p50_ms", ReportColumn.DECIMAL, "Median duration in milliseconds."),
                    new ReportColumn("p95_ms", ReportColumn.DECIMAL, "95th-percentile duration in milliseconds.")));

    /** The longest range a report covers, in days: a year, leap years included. */
    static final int MAX_RANGE_DAYS = 366;

    private final String wireName;
    private final String title;
    private final String description;
    private final List<ReportParameter> parameters;
    private final List<ReportColumn> columns;

    ReportType(
            String wireName,
            String title,
            String description,
            List<ReportParameter> parameters,
            List<ReportColumn> columns) {
        this.wireName = wireName;
        this.title = title;
        this.description = description;
        this.parameters = parameters;
        this.columns = columns;
    }

    public String wireName() {
        return wireName;
    }

    public String title() {
        return title;
    }

    public String description() {
        return description;
    }

    public List<ReportParameter> parameters() {
        return parameters;
    }

    public List<ReportColumn> columns() {
        return columns;
    }

    /** Whether it covers a range of dates ({@code start_date} to {@code end_date}). */
    boolean coversRange() {
        return parameters.contains(Parameters.START_DATE);
    }

    /** The resource holding its SQL statement. */
    String sqlResource() {
        return wireName + ".sql";
    }

    static Optional<ReportType> of(String wireName) {
        return Arrays.stream(values())
                .filter(type -> type.wireName.equals(wireName))
                .findFirst();
    }

    static List<String> wireNames() {
        return Arrays.stream(values()).map(ReportType::wireName).toList();
    }

    /** The parameters several types share. */
    private static final class Parameters {
        static final ReportParameter START_DATE =
                ReportParameter.required("start_date", DATE, "The range's first day, in the report's time zone.");
        static final ReportParameter END_DATE = ReportParameter.required(
                "end_date",
                DATE,
                "The range's last day, included; at most " + MAX_RANGE_DAYS + " days after start_date counted in.");
        static final ReportParameter TIMEZONE = new ReportParameter(
                "timezone",
                TIME_ZONE,
                "The IANA time zone the days and periods are counted in.",
                false,
                "UTC",
                List.of(),
                null,
                null);
        static final ReportParameter CURRENCY =
                ReportParameter.optional("currency", ReportParameter.Kind.CURRENCY, "Only amounts in this currency.");
    }

    private static final class Columns {
        static final ReportColumn PERIOD_START = new ReportColumn(
                "period_start",
                ReportColumn.DATE,
                "The first day of the period (a week starts on Monday); the range's first and last periods may be "
                        + "partly outside it.");
        static final ReportColumn CURRENCY =
                new ReportColumn(ReportColumn.CURRENCY, ReportColumn.STRING, "The ISO 4217 code of the row's amounts.");
    }
}
