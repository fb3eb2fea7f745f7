-- Domain events (order.created, payment.succeeded, ...), written in the transaction that caused them:
-- an event exists exactly when its change committed. Webhooks and notifications read from here.
create table domain_events (
    id            text        primary key,
    type          text        not null,
    aggregate_id  text        not null,
    payload       jsonb       not null,
    occurred_at   timestamptz not null default now(),
    sequence      bigint      generated always as identity unique
);

create index domain_events_by_aggregate on domain_events (aggregate_id, sequence);
create index domain_events_by_type on domain_events (type, sequence);
