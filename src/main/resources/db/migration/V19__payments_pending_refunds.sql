-- Refunds in two steps, like payments: written as pending and committed, made at the processor outside any
-- transaction (no connection or row lock is held while it answers), then settled. A pending refund whose outcome is
-- unknown is settled by the reconciler.
alter table refunds
    add column status             text        not null default 'succeeded'
                                              check (status in ('pending', 'succeeded', 'failed')),
    add column failure_code       text,                -- the processor's reason for a failed refund
    add column failure_message    text,
    add column cancels_order      boolean     not null default false,  -- made to cancel the order: settling it does
    add column attempts           integer     not null default 1 check (attempts >= 1),  -- calls made to the processor
    add column locked_until       timestamptz,         -- while in the future, one process is talking to the processor
    add column updated_at         timestamptz not null default now(),
    add column request_credential text,                -- the Idempotency-Key of the request that asked for it
    add column request_key        text check (length(request_key) between 1 and 255);

-- Rows before this migration were all made; from now on every insert says what it is.
alter table refunds alter column status drop default;

-- One refund of a payment in flight at a time: together with the payment's lock while one is reserved, the refunds
-- of a payment can never add up to more than it captured, whatever their outcome.
create unique index refunds_one_pending_per_payment on refunds (payment_id) where status = 'pending';
-- Pending refunds, for the reconciler.
create index refunds_pending on refunds (locked_until) where status = 'pending';
create index refunds_by_request_key on refunds (request_credential, request_key, created_at desc)
    where request_key is not null;
