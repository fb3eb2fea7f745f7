package dev.mercato.products;

import dev.mercato.idempotency.IdempotentCreation;
import dev.mercato.shared.ConflictException;
import dev.mercato.shared.DomainException;
import dev.mercato.shared.Ids;
import dev.mercato.shared.InvalidRequestException;
import dev.mercato.shared.Money;
import dev.mercato.shared.NotFoundException;
import dev.mercato.shared.Page;
import dev.mercato.shared.PageParams;
import dev.mercato.shared.StaleVersionException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Currency;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** The catalog: reads for both API versions and other features, changes through the v2 API. */
@Service
public class ProductService {

    private final ProductRepository repository;
    private final IdempotentCreation creation;

    ProductService(ProductRepository repository, IdempotentCreation creation) {
        this.repository = repository;
        this.creation = creation;
    }

    /** Which of these ids name a product of the catalog, in one query. */
    public Set<String> existing(Collection<String> ids) {
        return repository.findExistingIds(ids);
    }

    public Product get(String id) {
        return repository.findById(id).orElseThrow(() -> new NotFoundException("product", id));
    }

    public Page<Product> list(PageParams page) {
        return repository.findAll(page);
    }

    /** Products matching every filter given; a price range whose minimum exceeds its maximum matches none. */
    public Page<Product> search(ProductSearch search, PageParams page) {
        if (search.currency() != null && Money.currency(search.currency()).isEmpty()) {
            throw invalidCurrency("currency");
        }
        return repository.search(search, page);
    }

    public boolean isEmpty() {
        return repository.count() == 0;
    }

    @Transactional
    public Product create(ProductDraft draft) {
        validate(draft);
        return creation.once(() -> repository.insert(Ids.generate("prod"), draft), Product::id, this::get);
    }

    /** Replaces the product's writable fields; {@code expectedVersion} (from If-Match) may be null. */
    @Transactional
    public Product replace(String id, ProductDraft draft, Long expectedVersion) {
        validate(draft);
        return repository.update(id, draft, expectedVersion).orElseThrow(() -> missingOrChanged(id));
    }

    /**
     * Changes part of a product: {@code change} gets the current writable fields and returns the new ones.
     * The row is locked meanwhile, so no concurrent change is lost; an unchanged result writes nothing.
     */
    @Transactional
    public Product update(String id, UnaryOperator<ProductDraft> change, Long expectedVersion) {
        Product current = repository.findByIdForUpdate(id).orElseThrow(() -> new NotFoundException("product", id));
        if (expectedVersion != null && current.version() != expectedVersion) {
            throw new StaleVersionException(current.version());
        }
        ProductDraft draft = new ProductDraft(
                current.name(), current.description(), current.price(), current.currency(), current.stock());
        ProductDraft changed = change.apply(draft);
        if (changed.equals(draft)) {
            return current;
        }
        validate(changed);
        return repository.update(id, changed, null).orElseThrow();
    }

    /**
     * Reserves stock for every line in the caller's transaction, in product-id order so that concurrent
     * orders lock rows in the same order and cannot deadlock. Any line short: 409 {@code INSUFFICIENT_STOCK}
     * naming the product, and the caller's rollback returns what earlier lines took.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<StockReservation> reserve(List<StockReservation.Request> lines) {
        List<StockReservation> reserved = new ArrayList<>();
        lines.stream()
                .sorted(Comparator.comparing(StockReservation.Request::productId))
                .forEach(line -> reserved.add(
                        repository.takeStock(line.productId(), line.quantity()).orElseThrow(() -> shortOf(line))));
        return reserved;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void release(List<StockReservation.Request> lines) {
        lines.stream()
                .sorted(Comparator.comparing(StockReservation.Request::productId))
                .forEach(line -> repository.returnStock(line.productId(), line.quantity()));
    }

    private DomainException shortOf(StockReservation.Request line) {
        Product product = repository
                .findById(line.productId())
                .orElseThrow(() -> new NotFoundException("product", line.productId()));
        return new ConflictException(
                "INSUFFICIENT_STOCK",
                "Product '" + product.id() + "' has " + product.stock() + " in stock; " + line.quantity()
                        + " requested.",
                product.id());
    }

    @Transactional
    public void delete(String id, Long expectedVersion) {
        if (!repository.delete(id, expectedVersion)) {
            throw missingOrChanged(id);
        }
    }

    private DomainException missingOrChanged(String id) {
        return new StaleVersionException(get(id).version());
    }

    private static void validate(ProductDraft draft) {
        Currency currency = Money.currency(draft.currency()).orElseThrow(() -> invalidCurrency("currency"));
        if (!Money.fitsPrecision(draft.price(), currency)) {
            throw InvalidRequestException.parameter(
                    "price",
                    "The 'price' parameter has more decimal places than " + currency.getCurrencyCode() + " allows ("
                            + Money.minorUnits(currency) + ").",
                    "price (number)");
        }
    }

    private static DomainException invalidCurrency(String field) {
        return InvalidRequestException.parameter(
                field,
                "The '" + field + "' parameter must be an upper-case ISO 4217 currency code such as USD.",
                field + " (string)");
    }
}
