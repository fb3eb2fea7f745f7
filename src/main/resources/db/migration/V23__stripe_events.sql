-- Stripe's own events, received at /webhooks/stripe (signed with the endpoint's secret). One row per event id, written
-- in the transaction that acts on it, so an event Stripe sends again (it retries until answered 2xx) acts once.
create table stripe_events (
    id           text        primary key,   -- Stripe's event id, evt_...
    type         text        not null,
    received_at  timestamptz not null default now()
);

create index stripe_events_by_received on stripe_events (received_at);

-- A payment's dispute (chargeback), as Stripe's charge.dispute.* events report it.
alter table payments
    add column dispute_id      text,
    add column dispute_status  text,           -- Stripe's: needs_response, under_review, won, lost, warning_*
    add column dispute_reason  text,           -- Stripe's: fraudulent, product_not_received, ...
    add column disputed_amount numeric(19,4) check (disputed_amount >= 0);
