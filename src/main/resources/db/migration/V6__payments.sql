-- Payments: charges against an order, through the configured processor.
create table payments (
    id                 text          primary key,
    order_id           text          not null,
    amount             numeric(19,4) not null check (amount >= 0),
    currency           text          not null check (currency ~ '^[A-Z]{3}$'),
    status             text          not null check (status in ('processing', 'succeeded', 'failed')),
    payment_method_id  text          not null,
    processor          text          not null,
    processor_reference text,                     -- the processor's id for the charge (a PaymentIntent id)
    decline_code       text,
    failure_message    text,
    refunded_amount    numeric(19,4) not null default 0 check (refunded_amount >= 0 and refunded_amount <= amount),
    attempts           integer       not null default 1 check (attempts >= 1),  -- calls made to the processor
    locked_until       timestamptz,              -- while set and in the future, one process is talking to the processor
    created_at         timestamptz   not null default now(),
    updated_at         timestamptz   not null default now()
);

-- An order is charged at most once: one payment in flight or succeeded per order, enforced here.
create unique index payments_one_live_per_order on payments (order_id) where status in ('processing', 'succeeded');
create index payments_by_order on payments (order_id, created_at desc, id desc);
create index payments_by_created on payments (created_at desc, id desc);
-- Payments whose outcome is not yet known, for the reconciler.
create index payments_processing on payments (locked_until) where status = 'processing';

create table refunds (
    id                  text          primary key,
    payment_id          text          not null references payments (id),
    amount              numeric(19,4) not null check (amount > 0),
    reason              text,
    processor_reference text,
    created_at          timestamptz   not null default now()
);

create index refunds_by_payment on refunds (payment_id, created_at);
