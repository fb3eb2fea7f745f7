-- Orders: what a user bought, at the prices of the moment, and where it goes.
create table orders (
    id               text          primary key,
    user_id          text          not null,
    status           text          not null default 'pending'
                                   check (status in ('pending', 'paid', 'shipped', 'delivered', 'cancelled')),
    total_amount     numeric(19,4) not null check (total_amount >= 0),  -- computed by the server from the lines
    currency         text          not null check (currency ~ '^[A-Z]{3}$'),
    ship_street      text          not null,
    ship_city        text          not null,
    ship_zip_code    text          not null,
    ship_country     text          not null,
    created_at       timestamptz   not null default now(),
    updated_at       timestamptz   not null default now(),
    version          bigint        not null default 1
);

create index orders_by_created on orders (created_at desc, id desc);
create index orders_by_user on orders (user_id, created_at desc, id desc);
create index orders_by_status on orders (status, created_at desc, id desc);

-- One line per product; name and unit price are a snapshot taken when the order was placed.
create table order_items (
    order_id     text          not null references orders (id) on delete cascade,
    line_number  integer       not null check (line_number > 0),
    product_id   text          not null,
    product_name text          not null,
    quantity     integer       not null check (quantity between 1 and 1000),
    unit_price   numeric(19,4) not null check (unit_price >= 0),
    line_total   numeric(19,4) not null check (line_total >= 0),
    primary key (order_id, line_number),
    unique (order_id, product_id)
);
