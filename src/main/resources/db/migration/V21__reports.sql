-- Reports: asked for over the API, generated in the background (one db-scheduler job each, report-generation), kept
-- for a retention period and then purged with their rows.
create table reports (
    id            text        primary key,
    type          text        not null,
    parameters    jsonb       not null,                -- every parameter, defaults filled in
    format        text        not null check (format in ('json', 'csv')),
    status        text        not null check (status in ('pending', 'running', 'completed', 'failed')),
    error         text,                                -- why it failed
    row_count     integer     check (row_count >= 0),
    attempts      integer     not null default 0 check (attempts >= 0),  -- generation runs started
    created_by    text,                                -- the credential that asked for it
    created_at    timestamptz not null,
    started_at    timestamptz,
    generated_at  timestamptz,                         -- when the figures were read
    completed_at  timestamptz,                         -- when it completed or failed
    updated_at    timestamptz not null
);

create index reports_by_created on reports (created_at desc, id desc);
create index reports_by_type on reports (type, created_at desc, id desc);
create index reports_by_status on reports (status, created_at desc, id desc);

-- A completed report's rows, in order: one JSON object each, keyed by the report type's column names.
create table report_rows (
    report_id   text    not null references reports (id) on delete cascade,
    row_number  integer not null,
    data        jsonb   not null,
    primary key (report_id, row_number)
);

-- The reporting views: what each feature publishes for reports to read. The report queries read only these, never
-- a feature's tables, so a feature can change its tables as long as it keeps its view. PostgreSQL inlines a view
-- into the query that reads it, so they cost nothing at run time.

-- orders: every order placed, and its lines at the prices of the moment.
create view report_orders as
    select id as order_id, user_id, status, currency, total_amount, created_at as placed_at
    from orders;

create view report_order_lines as
    select order_id, product_id, product_name, quantity, line_total
    from order_items;

-- payments: the refunds that were made (not pending, not failed), in the currency of the payment they refund.
create view report_refunds as
    select r.id as refund_id, p.order_id, r.amount, p.currency, r.created_at as refunded_at
    from refunds r
    join payments p on p.id = r.payment_id
    where r.status = 'succeeded';

-- products: the catalogue as it stands.
create view report_products as
    select id as product_id, name, stock, currency
    from products;

-- users: when each joined.
create view report_users as
    select id as user_id, created_at
    from users;

-- logs: one row per API request.
create view report_requests as
    select occurred_at, credential_id, user_id, status, duration_ms
    from access_logs;
