package dev.mercato.reports;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A known shop, written straight into the database, and the figures each report must show for it, worked out here
 * from the data itself rather than by the report's SQL. Its orders lie in the first quarter of 2025, in USD and
 * EUR, in every status, with partial, full, failed, pending and cancelling refunds, and some on the edges of days and
 * months that move with the time zone; a few more, placed in the last weeks, give its low-stock products a sales
 * rate. Every id carries a random suffix, so the set can sit beside any other test's data.
 */
final class ReportDataSet {

    static final Set<String> SALES = Set.of("paid", "shipped", "delivered");

    record Product(String id, String name, String currency, BigDecimal price, int stock) {}

    record Line(Product product, int quantity) {
        BigDecimal total() {
            return product.price().multiply(BigDecimal.valueOf(quantity));
        }
    }

    record Order(String id, String user, Instant placedAt, String status, String currency, List<Line> lines) {
        BigDecimal total() {
            return lines.stream().map(Line::total).reduce(BigDecimal.ZERO, BigDecimal::add);
        }

        int units() {
            return lines.stream().mapToInt(Line::quantity).sum();
        }

        boolean isSale() {
            return SALES.contains(status);
        }
    }

    record Refund(String id, Order order, BigDecimal amount, Instant at, String status) {}

    record Request(Instant at, String credential, String user, int status, int durationMs) {}

    record User(String id, Instant createdAt) {}

    final String suffix = UUID.randomUUID().toString().substring(0, 8);
    final List<User> users = new ArrayList<>();
    final List<Product> products = new ArrayList<>();
    final List<Order> orders = new ArrayList<>();
    final List<Refund> refunds = new ArrayList<>();
    final List<Request> requests = new ArrayList<>();

    final Product lamp;
    final Product cable;
    final Product kettle;
    final Product chair;
    final String keyA = "key_rptA_" + suffix;
    final String keyB = "key_rptB_" + suffix;

    ReportDataSet(Instant now) {
        for (String created : List.of(
                "2025-01-02T08:00:00Z",
                "2025-01-04T12:00:00Z",
                "2025-01-31T23:30:00Z",
                "2025-02-15T10:00:00Z",
                "2025-02-15T11:00:00Z",
                "2025-03-10T09:00:00Z")) {
            users.add(new User("usr_rpt" + users.size() + "_" + suffix, Instant.parse(created)));
        }
        lamp = product("Lamp", "USD", "10.00", 3);
        cable = product("Cable", "USD", "2.50", 500);
        kettle = product("Kettle", "EUR", "7.99", 0);
        chair = product("Chair, \"Deluxe\"", "EUR", "100.00", 8);

        Order o1 = order(0, "2025-01-05T10:00:00Z", "paid", new Line(lamp, 2));
        Order o2 = order(1, "2025-01-05T15:00:00Z", "shipped", new Line(lamp, 1), new Line(cable, 4));
        Order o3 = order(1, "2025-01-12T09:00:00Z", "delivered", new Line(kettle, 3));
        order(2, "2025-01-20T12:00:00Z", "pending", new Line(cable, 2));
        Order o5 = order(2, "2025-01-25T08:00:00Z", "cancelled", new Line(lamp, 5));
        // Jan 31 in UTC and New York, Feb 1 in Tokyo.
        order(3, "2025-01-31T23:30:00Z", "paid", new Line(chair, 1));
        // Feb 1 in UTC and Tokyo, Jan 31 in New York.
        order(0, "2025-02-01T03:00:00Z", "delivered", new Line(cable, 10));
        Order o8 = order(4, "2025-02-14T18:00:00Z", "shipped", new Line(kettle, 1), new Line(chair, 2));
        order(4, "2025-02-28T22:00:00Z", "cancelled", new Line(kettle, 2));
        Order o10 = order(5, "2025-03-03T11:00:00Z", "delivered", new Line(lamp, 3), new Line(cable, 1));
        order(0, "2025-03-15T16:45:00Z", "paid", new Line(cable, 3));
        order(5, "2025-03-31T20:00:00Z", "pending", new Line(chair, 1));

        refund(o1, "5.00", "2025-01-07T10:00:00Z", "succeeded"); // partial
        refund(o3, "23.97", "2025-02-03T10:00:00Z", "succeeded"); // full, a month later
        refund(o5, "50.00", "2025-01-26T10:00:00Z", "succeeded"); // the cancellation's: not a sale, not counted
        refund(o8, "7.99", "2025-02-20T10:00:00Z", "failed");
        refund(o2, "1.00", "2025-01-10T10:00:00Z", "pending");
        // Mar 31 in UTC and New York, Apr 1 in Tokyo.
        refund(o10, "2.50", "2025-03-31T23:30:00Z", "succeeded");

        // Lately: what sets the low-stock products' sales rate.
        recentOrder(1, now.minus(2, ChronoUnit.DAYS), "paid", new Line(lamp, 4));
        recentOrder(2, now.minus(5, ChronoUnit.DAYS), "shipped", new Line(chair, 6));
        recentOrder(3, now.minus(40, ChronoUnit.DAYS), "delivered", new Line(kettle, 3));
        recentOrder(4, now.minus(3, ChronoUnit.DAYS), "pending", new Line(lamp, 10));

        request("2025-01-05T10:00:00Z", keyA, 0, 200, 12);
        request("2025-01-05T10:01:00Z", keyA, 0, 201, 30);
        request("2025-01-05T11:00:00Z", keyA, 0, 200, 18);
        request("2025-01-05T23:50:00Z", keyA, 0, 404, 5); // Jan 6 in Tokyo
        request("2025-01-05T12:00:00Z", keyB, 1, 500, 250);
        request("2025-01-06T09:00:00Z", keyB, 1, 200, 40);
        request("2025-02-10T09:00:00Z", keyA, 3, 304, 3);
        request("2025-02-10T10:00:00Z", null, -1, 401, 1);
        request("2025-03-20T10:00:00Z", keyB, 5, 200, 100);
        request("2025-03-20T10:05:00Z", keyB, 5, 200, 7);
    }

    private Product product(String name, String currency, String price, int stock) {
        Product product =
                new Product("prod_rpt" + products.size() + "_" + suffix, name, currency, new BigDecimal(price), stock);
        products.add(product);
        return product;
    }

    private Order order(int user, String placedAt, String status, Line... lines) {
        return recentOrder(user, Instant.parse(placedAt), status, lines);
    }

    private Order recentOrder(int user, Instant placedAt, String status, Line... lines) {
        Order order = new Order(
                "ord_rpt" + orders.size() + "_" + suffix,
                users.get(user).id(),
                placedAt,
                status,
                lines[0].product().currency(),
                List.of(lines));
        orders.add(order);
        return order;
    }

    private void refund(Order order, String amount, String at, String status) {
        refunds.add(new Refund(
                "re_rpt" + refunds.size() + "_" + suffix, order, new BigDecimal(amount), Instant.parse(at), status));
    }

    private void request(String at, String credential, int user, int status, int durationMs) {
        requests.add(new Request(
                Instant.parse(at), credential, user < 0 ? null : users.get(user).id(), status, durationMs));
    }

    /** Writes the shop into the database, as the features' own tables hold it. */
    void insert(JdbcClient jdbc) {
        for (User user : users) {
            jdbc.sql("insert into users (id, username, created_at, updated_at) values (?, ?, ?, ?)")
                    .params(user.id(), user.id().replace("usr_", "u"), ts(user.createdAt()), ts(user.createdAt()))
                    .update();
        }
        for (Product product : products) {
            jdbc.sql("insert into products (id, name, price, currency, stock) values (?, ?, ?, ?, ?)")
                    .params(product.id(), product.name(), product.price(), product.currency(), product.stock())
                    .update();
        }
        for (Order order : orders) {
            jdbc.sql("insert into orders (id, user_id, status, total_amount, currency, ship_street, ship_city, "
                            + "ship_zip_code, ship_country, created_at, updated_at) "
                            + "values (?, ?, ?, ?, ?, '1 Main St', 'Springfield', '12345', 'US', ?, ?)")
                    .params(
                            order.id(),
                            order.user(),
                            order.status(),
                            order.total(),
                            order.currency(),
                            ts(order.placedAt()),
                            ts(order.placedAt()))
                    .update();
            int number = 1;
            for (Line line : order.lines()) {
                jdbc.sql("insert into order_items (order_id, line_number, product_id, product_name, quantity, "
                                + "unit_price, line_total) values (?, ?, ?, ?, ?, ?, ?)")
                        .params(
                                order.id(),
                                number++,
                                line.product().id(),
                                line.product().name(),
                                line.quantity(),
                                line.product().price(),
                                line.total())
                        .update();
            }
            if (!order.status().equals("pending")) {
                jdbc.sql("insert into payments (id, order_id, amount, currency, status, payment_method_id, processor, "
                                + "created_at, updated_at) values (?, ?, ?, ?, 'succeeded', 'pm_card_visa', "
                                + "'simulated', ?, ?)")
                        .params(
                                paymentOf(order),
                                order.id(),
                                order.total(),
                                order.currency(),
                                ts(order.placedAt()),
                                ts(order.placedAt()))
                        .update();
            }
        }
        for (Refund refund : refunds) {
            jdbc.sql("insert into refunds (id, payment_id, amount, status, cancels_order, created_at, updated_at) "
                            + "values (?, ?, ?, ?, ?, ?, ?)")
                    .params(
                            refund.id(),
                            paymentOf(refund.order()),
                            refund.amount(),
                            refund.status(),
                            refund.order().status().equals("cancelled"),
                            ts(refund.at()),
                            ts(refund.at()))
                    .update();
        }
        int n = 0;
        for (Request request : requests) {
            String level = request.status() >= 500 ? "error" : request.status() >= 400 ? "warn" : "info";
            jdbc.sql("insert into access_logs (id, occurred_at, level, message, method, path, status, duration_ms, "
                            + "request_id, credential_id, user_id, ip_address) "
                            + "values (?, ?, ?, 'GET /v2/products', 'GET', '/v2/products', ?, ?, ?, ?, ?, '127.0.0.1')")
                    .params(
                            "log_rpt" + n + "_" + suffix,
                            ts(request.at()),
                            level,
                            request.status(),
                            request.durationMs(),
                            "req_rpt" + n++ + "_" + suffix,
                            request.credential(),
                            request.user())
                    .update();
        }
    }

    private static String paymentOf(Order order) {
        return order.id().replace("ord_", "pay_");
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }

    // The figures, worked out from the data.

    /** The first day of the period (day, week from Monday, month; total: the range's start) a date falls in. */
    static LocalDate periodOf(LocalDate date, String granularity, LocalDate start) {
        return switch (granularity) {
            case "day" -> date;
            case "week" -> date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case "month" -> date.withDayOfMonth(1);
            case "total" -> start;
            default -> throw new IllegalArgumentException(granularity);
        };
    }

    static List<LocalDate> periods(LocalDate start, LocalDate end, String granularity) {
        List<LocalDate> periods = new ArrayList<>();
        if (granularity.equals("total")) {
            return List.of(start);
        }
        for (LocalDate period = periodOf(start, granularity, start); !period.isAfter(end); ) {
            periods.add(period);
            period = switch (granularity) {
                case "day" -> period.plusDays(1);
                case "week" -> period.plusWeeks(1);
                default -> period.plusMonths(1);
            };
        }
        return periods;
    }

    private static boolean within(Instant at, LocalDate start, LocalDate end, ZoneId zone) {
        LocalDate day = at.atZone(zone).toLocalDate();
        return !day.isBefore(start) && !day.isAfter(end);
    }

    /** sales_summary rows: period_start, currency, orders, units, gross_revenue, refunds, net_revenue. */
    List<List<Object>> salesSummary(LocalDate start, LocalDate end, ZoneId zone, String granularity) {
        Map<String, Map<LocalDate, BigDecimal[]>> byCurrency = new TreeMap<>();
        for (Order order : orders) {
            if (order.isSale() && within(order.placedAt(), start, end, zone)) {
                BigDecimal[] figures = figures(
                        byCurrency,
                        order.currency(),
                        periodOf(order.placedAt().atZone(zone).toLocalDate(), granularity, start));
                figures[0] = figures[0].add(BigDecimal.ONE);
                figures[1] = figures[1].add(BigDecimal.valueOf(order.units()));
                figures[2] = figures[2].add(order.total());
            }
        }
        for (Refund refund : refunds) {
            if (refund.status().equals("succeeded")
                    && refund.order().isSale()
                    && within(refund.at(), start, end, zone)) {
                BigDecimal[] figures = figures(
                        byCurrency,
                        refund.order().currency(),
                        periodOf(refund.at().atZone(zone).toLocalDate(), granularity, start));
                figures[3] = figures[3].add(refund.amount());
            }
        }
        List<List<Object>> rows = new ArrayList<>();
        for (LocalDate period : periods(start, end, granularity)) {
            for (var currency : byCurrency.entrySet()) {
                BigDecimal[] f = currency.getValue().getOrDefault(period, zeros());
                rows.add(List.of(
                        period.toString(),
                        currency.getKey(),
                        f[0].intValue(),
                        f[1].intValue(),
                        money(f[2]),
                        money(f[3]),
                        money(f[2].subtract(f[3]))));
            }
        }
        return rows;
    }

    private static BigDecimal[] figures(
            Map<String, Map<LocalDate, BigDecimal[]>> byCurrency, String currency, LocalDate period) {
        return byCurrency.computeIfAbsent(currency, c -> new TreeMap<>()).computeIfAbsent(period, p -> zeros());
    }

    private static BigDecimal[] zeros() {
        return new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO};
    }

    private static BigDecimal money(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.UNNECESSARY);
    }

    /**
     * top_products rows: currency, rank, product_id, product_name, units, revenue, orders, rank_by_units,
     * rank_by_revenue.
     */
    List<List<Object>> topProducts(LocalDate start, LocalDate end, ZoneId zone, String rankBy, int limit) {
        record Sold(Product product, int units, BigDecimal revenue, int orders) {}
        Map<Product, Sold> sold = new LinkedHashMap<>();
        for (Order order : orders) {
            if (order.isSale() && within(order.placedAt(), start, end, zone)) {
                for (Line line : order.lines()) {
                    sold.merge(
                            line.product(),
                            new Sold(line.product(), line.quantity(), line.total(), 1),
                            (a, b) -> new Sold(
                                    a.product(),
                                    a.units() + b.units(),
                                    a.revenue().add(b.revenue()),
                                    a.orders() + b.orders()));
                }
            }
        }
        Comparator<Sold> byUnits = Comparator.comparingInt(Sold::units)
                .reversed()
                .thenComparing(Sold::revenue, Comparator.reverseOrder())
                .thenComparing(s -> s.product().id());
        Comparator<Sold> byRevenue = Comparator.comparing(Sold::revenue, Comparator.reverseOrder())
                .thenComparing(Comparator.comparingInt(Sold::units).reversed())
                .thenComparing(s -> s.product().id());
        List<List<Object>> rows = new ArrayList<>();
        Map<String, List<Sold>> byCurrency = sold.values().stream()
                .collect(Collectors.groupingBy(s -> s.product().currency(), TreeMap::new, Collectors.toList()));
        for (List<Sold> products : byCurrency.values()) {
            List<Sold> unitsOrder = products.stream().sorted(byUnits).toList();
            List<Sold> revenueOrder = products.stream().sorted(byRevenue).toList();
            List<Sold> ranked = rankBy.equals("revenue") ? revenueOrder : unitsOrder;
            for (int i = 0; i < Math.min(limit, ranked.size()); i++) {
                Sold s = ranked.get(i);
                rows.add(List.of(
                        s.product().currency(),
                        i + 1,
                        s.product().id(),
                        s.product().name(),
                        s.units(),
                        money(s.revenue()),
                        s.orders(),
                        unitsOrder.indexOf(s) + 1,
                        revenueOrder.indexOf(s) + 1));
            }
        }
        return rows;
    }

    /** user_activity rows: period_start, new_users, ordering_users, orders, orders_per_ordering_user, api_users. */
    List<List<Object>> userActivity(LocalDate start, LocalDate end, ZoneId zone, String granularity) {
        List<List<Object>> rows = new ArrayList<>();
        for (LocalDate period : periods(start, end, granularity)) {
            long joined = users.stream()
                    .filter(u -> within(u.createdAt(), start, end, zone)
                            && period.equals(periodOf(u.createdAt().atZone(zone).toLocalDate(), granularity, start)))
                    .count();
            List<Order> placed = orders.stream()
                    .filter(o -> within(o.placedAt(), start, end, zone)
                            && period.equals(periodOf(o.placedAt().atZone(zone).toLocalDate(), granularity, start)))
                    .toList();
            Set<String> ordering = placed.stream().map(Order::user).collect(Collectors.toSet());
            Set<String> calling = requests.stream()
                    .filter(r -> r.user() != null
                            && within(r.at(), start, end, zone)
                            && period.equals(periodOf(r.at().atZone(zone).toLocalDate(), granularity, start)))
                    .map(Request::user)
                    .collect(Collectors.toSet());
            BigDecimal perUser = ordering.isEmpty()
                    ? new BigDecimal("0.00")
                    : BigDecimal.valueOf(placed.size())
                            .divide(BigDecimal.valueOf(ordering.size()), 2, RoundingMode.HALF_UP);
            rows.add(List.of(period.toString(), (int) joined, ordering.size(), placed.size(), perUser, calling.size()));
        }
        return rows;
    }

    /** api_usage rows of one credential: day, credential_id, status_class, requests, p50_ms, p95_ms. */
    List<List<Object>> apiUsage(LocalDate start, LocalDate end, ZoneId zone, String credential) {
        Map<List<String>, List<Integer>> groups =
                new TreeMap<>(Comparator.comparing((List<String> k) -> k.get(0)).thenComparing(k -> k.get(1)));
        for (Request request : requests) {
            if (credential.equals(request.credential()) && within(request.at(), start, end, zone)) {
                groups.computeIfAbsent(
                                List.of(
                                        request.at().atZone(zone).toLocalDate().toString(),
                                        request.status() / 100 + "xx"),
                                k -> new ArrayList<>())
                        .add(request.durationMs());
            }
        }
        List<List<Object>> rows = new ArrayList<>();
        groups.forEach((key, durations) -> rows.add(List.of(
                key.get(0),
                credential,
                key.get(1),
                durations.size(),
                percentile(durations, 0.5),
                percentile(durations, 0.95))));
        return rows;
    }

    /** PostgreSQL's percentile_cont: linear interpolation between the two nearest values, here to 1 place. */
    static BigDecimal percentile(List<Integer> values, double fraction) {
        List<Integer> sorted = values.stream().sorted().toList();
        double position = fraction * (sorted.size() - 1);
        int below = (int) Math.floor(position);
        int above = (int) Math.ceil(position);
        double value = sorted.get(below) + (position - below) * (sorted.get(above) - sorted.get(below));
        return new BigDecimal(Double.toString(value)).setScale(1, RoundingMode.HALF_UP);
    }

    /** The ids of this set's products with at most {@code threshold} in stock. */
    Set<String> lowStock(int threshold) {
        return products.stream()
                .filter(p -> p.stock() <= threshold)
                .map(Product::id)
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
