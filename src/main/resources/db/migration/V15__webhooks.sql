-- Webhook subscriptions: a URL that receives the events it names, signed with its own secret.
create table webhook_subscriptions (
    id         text primary key,
    url        text        not null check (length(url) between 1 and 2048),
    -- Event types ('order.created', ...), or '*' for every type.
    events     text[]      not null check (cardinality(events) > 0),
    -- Kept as given: deliveries are signed with it (HMAC-SHA256). Returned only when the subscription is created.
    secret     text        not null,
    created_by text,
    created_at timestamptz not null
);
create index webhook_subscriptions_created_idx on webhook_subscriptions (created_at desc, id desc);
-- Finds the subscriptions of an event type (events && array[type, '*']).
create index webhook_subscriptions_events_idx on webhook_subscriptions using gin (events);

-- One delivery of one event to one subscription, and where it stands. Delivered at least once: a receiver
-- tells a repeat by event_id.
create table webhook_deliveries (
    id               text primary key,
    subscription_id  text        not null references webhook_subscriptions (id) on delete cascade,
    event_id         text        not null,
    event_type       text        not null,
    -- The exact body POSTed on every attempt (text, not jsonb, so its bytes and thus its signature never change).
    payload          text        not null,
    status           text        not null check (status in ('pending', 'succeeded', 'failed')),
    attempts         int         not null default 0 check (attempts >= 0),
    last_status_code int,
    last_error       text,
    created_at       timestamptz not null,
    updated_at       timestamptz not null,
    delivered_at     timestamptz,
    unique (subscription_id, event_id)
);
create index webhook_deliveries_subscription_idx on webhook_deliveries (subscription_id, created_at desc, id desc);
