package dev.mercato.orders;

import dev.mercato.idempotency.IdempotentCreation;
import dev.mercato.products.ProductService;
import dev.mercato.products.StockReservation;
import dev.mercato.security.Caller;
import dev.mercato.shared.ConflictException;
import dev.mercato.shared.DomainException;
import dev.mercato.shared.ForbiddenException;
import dev.mercato.shared.Ids;
import dev.mercato.shared.InvalidRequestException;
import dev.mercato.shared.NotFoundException;
import dev.mercato.shared.Page;
import dev.mercato.shared.PageParams;
import dev.mercato.shared.StaleVersionException;
import dev.mercato.shared.UnknownReferenceException;
import dev.mercato.users.User;
import dev.mercato.users.UserService;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Places orders (reserving stock atomically) and moves them along their lifecycle. Payment is not done
 * here: payments calls {@link #markPaid}, and gives the money back before a paid order is cancelled
 * ({@link OrderRefunds}).
 */
@Service
public class OrderService {

    private static final Logger log = LoggerFactory.getLogger(OrderService.class);

    /** What the schema's numeric(19,4) amounts hold before the decimal point. */
    private static final int MAX_INTEGER_DIGITS = 15;

    private final OrderRepository repository;
    private final UserService users;
    private final ProductService products;
    private final ApplicationEventPublisher events;
    /** Payments implements it and depends on this service, so it is looked up when first needed. */
    private final ObjectProvider<OrderRefunds> refunds;

    private final TransactionTemplate transaction;
    private final IdempotentCreation creation;
    private final Clock clock;

    OrderService(
            OrderRepository repository,
            UserService users,
            ProductService products,
            ApplicationEventPublisher events,
            ObjectProvider<OrderRefunds> refunds,
            TransactionTemplate transaction,
            IdempotentCreation creation,
            Clock clock) {
        this.repository = repository;
        this.users = users;
        this.products = products;
        this.events = events;
        this.refunds = refunds;
        this.transaction = transaction;
        this.creation = creation;
        this.clock = clock;
    }

    /** The order, if the caller may see it (a user-authorized token sees its user's orders only); else 404. */
    public Order get(Caller caller, String id) {
        return visible(caller, repository.findById(id), id);
    }

    /** Reads the order and locks it until the caller's transaction ends (payments serialise on this lock). */
    @Transactional(propagation = Propagation.MANDATORY)
    public Order getForUpdate(Caller caller, String id) {
        return visible(caller, repository.findByIdForUpdate(id), id);
    }

    /** The user who placed the order, whoever asks: for features whose resources belong to an order's owner. */
    public Optional<String> ownerOf(String orderId) {
        return repository.findOwner(orderId);
    }

    /** The ids of a user's orders, whoever asks. */
    public List<String> idsOf(String userId) {
        return repository.findIdsByUser(userId);
    }

    /** Orders, narrowed to its user's own for a user-authorized token (another user's filter then finds none). */
    public Page<Order> list(Caller caller, String userId, String status, PageParams page) {
        Optional<String> acting = caller.actingUser();
        if (acting.isPresent() && userId != null && !userId.equals(acting.get())) {
            return new Page<>(List.of(), 0);
        }
        return repository.find(acting.orElse(userId), status, page);
    }

    private static Order visible(Caller caller, Optional<Order> order, String id) {
        return order.filter(found -> caller.mayAccess(found.userId()))
                .orElseThrow(() -> new NotFoundException("order", id));
    }

    /**
     * One transaction: the user and the products must exist (else 400 {@code USER_NOT_FOUND} or
     * {@code PRODUCT_NOT_FOUND} naming the field; a user-authorized token sees no user but its own), every
     * line's stock is taken by a conditional update (so no concurrency can oversell), prices are snapshotted
     * from the same rows, and the order and its {@code order.created} event are written. Any failure leaves
     * nothing behind. A retry under an {@code Idempotency-Key} whose first attempt committed gets that order.
     */
    @Transactional
    public Order place(Caller caller, NewOrder request) {
        return creation.once(() -> insert(caller, request), Order::id, id -> get(caller, id));
    }

    private Order insert(Caller caller, NewOrder request) {
        User user = users.find(caller, request.userId())
                .orElseThrow(() -> new UnknownReferenceException("USER_NOT_FOUND", "user", request.userId(), "userId"));
        if (!user.isActive()) {
            throw new ConflictException(
                    "USER_INACTIVE", "User '" + user.id() + "' is inactive and cannot order.", user.id());
        }
        rejectDuplicateProducts(request.items());
        List<StockReservation> reserved;
        try {
            reserved = products.reserve(request.items().stream()
                    .map(item -> new StockReservation.Request(item.productId(), item.quantity()))
                    .toList());
        } catch (DomainException shortOrMissing) {
            // An unknown product is the client's mistake (400) and wins over a shortage (409). Looked for only
            // when a reservation failed, which rolls the transaction back anyway: an order that goes through
            // spends no query on it.
            rejectUnknownProducts(request.items());
            throw shortOrMissing;
        }
        Set<String> currencies =
                reserved.stream().map(StockReservation::currency).collect(Collectors.toSet());
        if (currencies.size() > 1) {
            throw InvalidRequestException.field(
                    "CURRENCY_MISMATCH",
                    "items",
                    "All products of an order must be priced in one currency; these use " + currencies + ".");
        }
        // Lines in the order the client listed them, with the snapshots taken while reserving.
        Map<String, StockReservation> byProduct =
                reserved.stream().collect(Collectors.toMap(StockReservation::productId, Function.identity()));
        List<Order.Line> lines = request.items().stream()
                .map(item -> {
                    StockReservation snapshot = byProduct.get(item.productId());
                    return new Order.Line(
                            snapshot.productId(),
                            snapshot.name(),
                            snapshot.quantity(),
                            snapshot.unitPrice(),
                            snapshot.unitPrice().multiply(BigDecimal.valueOf(snapshot.quantity())));
                })
                .toList();
        BigDecimal total = lines.stream().map(Order.Line::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
        if (integerDigits(total) > MAX_INTEGER_DIGITS) {
            // Amounts are stored as numeric(19,4); a larger total is a request no order can hold, not a conflict.
            throw InvalidRequestException.field(
                    "items",
                    "The order's total would exceed " + MAX_INTEGER_DIGITS
                            + " integer digits; split it into smaller orders.");
        }
        var now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Order order = new Order(
                Ids.generate("ord"),
                user.id(),
                Order.PENDING,
                lines,
                total,
                currencies.iterator().next(),
                request.shippingAddress(),
                now,
                now,
                1);
        repository.insert(order);
        Order placed = order.inCurrencyPrecision(); // as a read gives it, without reading it back
        events.publishEvent(new OrderPlaced(placed.id(), placed.userId(), placed.totalAmount(), placed.currency()));
        return placed;
    }

    /**
     * Moves an order to {@code target} along the lifecycle (409 {@code INVALID_STATUS_TRANSITION} otherwise).
     * Cancelling returns the stock. A paid order is cancelled only once its payment is refunded: the refund is
     * reserved while the order is locked, made outside any transaction (it calls the processor), and the order is
     * cancelled in the transaction that records it; if the refund fails the order stays paid.
     */
    public Order changeStatus(Caller caller, String id, String target, Long expectedVersion) {
        Optional<String> refund = transaction.execute(status -> move(caller, id, target, expectedVersion));
        refund.ifPresent(refundId -> refunds.getObject().refundForCancellation(refundId));
        return get(caller, id);
    }

    /** The move under the order's lock; a refund to make first instead, when a paid order is cancelled. */
    private Optional<String> move(Caller caller, String id, String target, Long expectedVersion) {
        Order order = visible(caller, repository.findByIdForUpdate(id), id);
        if (caller.actingUser().isPresent() && !Order.CANCELLED.equals(target)) {
            throw new ForbiddenException(
                    "FORBIDDEN",
                    "A token authorized by a user can cancel "
                            + "the user's order but not move it along; shipping is the shop's.",
                    "status (string)");
        }
        if (expectedVersion != null && order.version() != expectedVersion) {
            throw new StaleVersionException(order.version());
        }
        if (order.status().equals(target)) {
            return Optional.empty();
        }
        if (Order.PAID.equals(target)) {
            throw invalidTransition(order, target, " An order becomes paid through a payment.");
        }
        if (!order.canBecome(target)) {
            throw invalidTransition(order, target, "");
        }
        Optional<String> refund = refunds.getObject().beforeStatusChange(id, target);
        if (refund.isEmpty()) {
            apply(order, target);
        }
        return refund;
    }

    /**
     * Cancels a paid order whose payment was refunded for its cancellation: payments calls it in the transaction
     * that records the refund. Nothing can have moved the order meanwhile (payments refuses every move while the
     * refund is in flight), so an order no longer paid is only logged.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void cancelRefunded(String orderId) {
        Order order = repository.findByIdForUpdate(orderId).orElseThrow();
        if (Order.PAID.equals(order.status())) {
            apply(order, Order.CANCELLED);
        } else if (!Order.CANCELLED.equals(order.status())) {
            log.error(
                    "Order {} was refunded for its cancellation but is {}; it was left as it is",
                    orderId,
                    order.status());
        }
    }

    private void apply(Order order, String target) {
        repository.changeStatus(order.id(), order.status(), target);
        if (Order.CANCELLED.equals(target)) {
            products.release(order.lines().stream()
                    .map(line -> new StockReservation.Request(line.productId(), line.quantity()))
                    .toList());
        }
        events.publishEvent(OrderStatusChanged.of(order, target));
    }

    /**
     * Marks a pending order paid. Payments hold the order's lock while a charge starts and cancelling refuses
     * while one is in flight, so the order is always still pending here; anything else is a broken invariant.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void markPaid(String orderId) {
        if (!repository.changeStatus(orderId, Order.PENDING, Order.PAID)) {
            throw new IllegalStateException("Order " + orderId + " was charged but is no longer pending");
        }
        events.publishEvent(OrderStatusChanged.of(repository.findById(orderId).orElseThrow(), Order.PAID));
    }

    private static int integerDigits(BigDecimal amount) {
        return amount.precision() - amount.scale();
    }

    private static DomainException invalidTransition(Order order, String target, String hint) {
        return new ConflictException(
                "INVALID_STATUS_TRANSITION",
                "An order cannot go from '" + order.status() + "' to '" + target + "'." + hint,
                target);
    }

    private static void rejectDuplicateProducts(List<NewOrder.Item> items) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            if (!seen.add(items.get(i).productId())) {
                throw InvalidRequestException.field(
                        "items[" + i + "]",
                        "Product '" + items.get(i).productId()
                                + "' is listed twice; give one line per product with the total quantity.");
            }
        }
    }

    /** 400 naming the first line whose product does not exist. */
    private void rejectUnknownProducts(List<NewOrder.Item> items) {
        Set<String> existing =
                products.existing(items.stream().map(NewOrder.Item::productId).toList());
        for (int i = 0; i < items.size(); i++) {
            String productId = items.get(i).productId();
            if (!existing.contains(productId)) {
                throw new UnknownReferenceException(
                        "PRODUCT_NOT_FOUND", "product", productId, "items[" + i + "].productId");
            }
        }
    }
}
