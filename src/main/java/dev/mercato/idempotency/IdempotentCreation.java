package dev.mercato.idempotency;

import dev.mercato.shared.ConflictException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Commits a creation together with its {@code Idempotency-Key}. The key's response is stored after the request's
 * transaction has committed; a server that dies in between leaves the key claimed, and once the claim's lease runs
 * out a retry would do the work again (a second order, its stock reserved twice). So a service that creates
 * something in one transaction does it through {@link #once}: the new resource's id is noted on the key's claim in
 * that transaction, and a retry that takes the claim over answers with that resource instead of creating another.
 * One creation per request; without an {@code Idempotency-Key} it simply creates.
 */
@Component
public class IdempotentCreation {

    private static final ThreadLocal<IdempotencyStore.Claim> CURRENT_CLAIM = new ThreadLocal<>();

    private final IdempotencyStore store;

    IdempotentCreation(IdempotencyStore store) {
        this.store = store;
    }

    /**
     * @param create creates the resource, in the caller's transaction
     * @param id the created resource's id
     * @param existing reads the resource an earlier attempt at this request created
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public <T> T once(Supplier<T> create, Function<T, String> id, Function<String, T> existing) {
        IdempotencyStore.Claim claim = CURRENT_CLAIM.get();
        if (claim == null) {
            return create.get();
        }
        if (claim.createdResource() != null) {
            return existing.apply(claim.createdResource());
        }
        T created = create.get();
        if (!store.recordCreated(claim, id.apply(created))) {
            // This attempt outlived its lease and a retry took the key over: the retry's outcome stands, this
            // transaction rolls back.
            throw new ConflictException(
                    "IDEMPOTENCY_KEY_IN_USE",
                    "A retry with this Idempotency-Key "
                            + "took over while this request was still running; its outcome stands.",
                    IdempotencyFilter.HEADER);
        }
        return created;
    }

    /**
     * Makes {@code claim} the claim of the creation that the request running on this thread makes, until
     * {@link #unbind}: the filter that took the claim binds it around the request.
     */
    static void bind(IdempotencyStore.Claim claim) {
        CURRENT_CLAIM.set(claim);
    }

    static void unbind() {
        CURRENT_CLAIM.remove();
    }
}
