package dev.mercato.payments;

import dev.mercato.security.Caller;

/** The {@code Idempotency-Key} a request came with, and the credential that sent it: keys belong to a credential. */
public record RequestKey(String credentialId, String key) {

    /** The key sent in the {@code Idempotency-Key} header by this caller, or null when the header was absent. */
    static RequestKey of(Caller caller, String header) {
        return header == null ? null : new RequestKey(caller.credentialId(), header);
    }
}
