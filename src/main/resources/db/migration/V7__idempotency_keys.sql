-- Idempotency keys: the first response to a POST, replayed for retries with the same key (24 hours).
create table idempotency_keys (
    credential_id   text        not null,
    key             text        not null check (length(key) between 1 and 255),
    request_hash    text        not null,     -- method, path and body: a different request under the same key is refused
    state           text        not null check (state in ('in_progress', 'completed')),
    response_status integer,
    response_headers text,                    -- JSON object of the headers worth replaying (Location, ETag)
    response_body   bytea,
    created_at      timestamptz not null default now(),
    locked_until    timestamptz not null,     -- an in-progress claim older than this was abandoned by a crash
    primary key (credential_id, key)
);

create index idempotency_keys_by_created on idempotency_keys (created_at);
