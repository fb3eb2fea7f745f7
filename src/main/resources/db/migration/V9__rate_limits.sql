-- Rate limits: a per-key limit, and the token buckets that servers share when mercato.rate-limit.store=postgresql.

alter table api_keys
    add column rate_limit_per_minute integer check (rate_limit_per_minute between 1 and 1000000);

comment on column api_keys.rate_limit_per_minute is
    'Requests per minute the key may make (burst of as many); null means the server default (mercato.rate-limit.requests-per-minute).';

-- One row per bucket, read and written by Bucket4j's PostgreSQL proxy manager (SELECT ... FOR UPDATE), so every
-- server on this database consumes from the same bucket. Unused with the default in-memory store.
create table rate_limit_buckets (
    id         text   primary key,   -- the limited subject and its quota: 'credential:key_...:1200', 'token-ip:203.0.113.7:60'
    state      bytea,                -- Bucket4j's serialized bucket state (null for a moment while a new row is created)
    expires_at bigint                -- epoch milliseconds after which the bucket is full again and the row can go
);

comment on table rate_limit_buckets is 'Bucket4j token buckets shared by all servers; rows past expires_at are purged.';

create index rate_limit_buckets_by_expiry on rate_limit_buckets (expires_at);
