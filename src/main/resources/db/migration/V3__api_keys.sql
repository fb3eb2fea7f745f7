-- API keys: bearer credentials for the API. The key itself is never stored, only its SHA-256 hash.
create table api_keys (
    id          text        primary key,
    name        text        not null check (length(name) between 1 and 100),
    key_hash    bytea       not null unique,
    key_prefix  text        not null,
    scopes      text[]      not null check (cardinality(scopes) > 0),
    user_id     text,                                   -- the owning user; null for system credentials
    bootstrap   boolean     not null default false,     -- the admin key created on first start
    created_at  timestamptz not null default now(),
    expires_at  timestamptz,
    revoked_at  timestamptz
);

comment on column api_keys.key_prefix is 'The first characters of the key, shown in listings to tell keys apart.';

-- At most one bootstrap key, even when several servers start at once on an empty database.
create unique index api_keys_single_bootstrap on api_keys (bootstrap) where bootstrap;
create index api_keys_by_created on api_keys (created_at desc, id desc);
create index api_keys_by_user on api_keys (user_id) where user_id is not null;
