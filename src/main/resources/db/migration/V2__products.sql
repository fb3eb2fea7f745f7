-- Products: the catalog, with prices, stock and a full-text index over name and description.
create table products (
    id           text          primary key,
    name         text          not null check (length(btrim(name)) between 1 and 200),
    description  text          check (length(description) <= 5000),
    price        numeric(19,4) not null check (price >= 0),   -- exact; the API enforces the currency's precision
    currency     text          not null check (currency ~ '^[A-Z]{3}$'),  -- ISO 4217
    stock        integer       not null check (stock >= 0),   -- never oversold
    created_at   timestamptz   not null default now(),
    updated_at   timestamptz   not null default now(),
    version      bigint        not null default 1,            -- bumped on every change; the ETag
    -- Name matches rank above description matches.
    search_vector tsvector generated always as (
        setweight(to_tsvector('english', name), 'A') ||
        setweight(to_tsvector('english', coalesce(description, '')), 'B')
    ) stored
);

create index products_search on products using gin (search_vector);
create index products_by_created on products (created_at desc, id desc);
create index products_by_price on products (currency, price);
