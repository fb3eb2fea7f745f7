-- Report benchmark data: users, products, orders with their lines, payments and refunds, and access logs over the
-- last :days days, written set-based in one transaction. Run by bench/report-data.sh, which sets the scale:
--   psql -v users=20000 -v products=10000 -v orders=1000000 -v logs=5000000 -v days=730 -f bench/report-data.sql
-- It expects a database migrated by Mercato with no users, products, orders or payments in it (it stops otherwise),
-- and leaves it as the API would have: every CHECK, unique and foreign key holds, an order's total is the sum of its
-- lines, a payment's refunded_amount the sum of its succeeded refunds. Ids carry the API's prefixes with 24
-- characters of md5 after them (hex is a subset of the API's base62), so they are as scattered as real ones.
-- Every random() is drawn where it runs once per row: in a select list, or in a subquery that refers to the row (one
-- that does not is run once for the whole statement).
\set ON_ERROR_STOP on
\pset footer off
select now() as load_now \gset
set work_mem = '256MB';
-- One commit at the end; no need to wait for the disk at each statement.
set synchronous_commit = off;

begin;

do $$
begin
    if exists (select 1 from users) or exists (select 1 from products) or exists (select 1 from orders)
            or exists (select 1 from payments) then
        raise exception 'report-data.sql expects an empty database (freshly migrated by Mercato): users, products, orders or payments has rows';
    end if;
end $$;

-- The times: orders and requests over the last :days days, at a rate that doubles from the first day to the last
-- (density 1 + s for s from 0 to 1 is the inverse CDF sqrt(1 + 3u) - 1); users joined over a year more than that,
-- evenly; products were listed in the year before the window.
create temp table clock on commit drop as
select cast(:'load_now' as timestamptz) as now,
       cast(:'load_now' as timestamptz) - :days * interval '1 day' as window_start,
       cast(:'load_now' as timestamptz) - (:days + 365) * interval '1 day' as users_start,
       (:days + 365) * interval '1 day' as users_span;

-- Users: user i joined at users_start + users_span * (i + jitter) / :users, so the users who had joined by a time t
-- are exactly those with i < floor(:users * (t - users_start) / users_span); orders and requests pick among them.
insert into users (id, username, email, status, first_name, last_name, phone, created_at, updated_at)
select 'usr_' || substr(md5('usr' || i), 1, 24),
       'user_' || i,
       'user' || i || '@example.com',
       case when i % 25 = 0 then 'inactive' else 'active' end,
       (array['Ada', 'Alan', 'Grace', 'Linus', 'Barbara', 'Ken', 'Margaret', 'Dennis'])[1 + i % 8],
       (array['Lovelace', 'Turing', 'Hopper', 'Torvalds', 'Liskov', 'Thompson', 'Hamilton', 'Ritchie'])[1 + (i / 8) % 8],
       case when i % 3 = 0 then '+4915' || lpad(cast(i as text), 9, '0') end,
       joined, joined
from clock, generate_series(0, :users - 1) i,
     lateral (select clock.users_start + clock.users_span * ((i + random()) / :users) as joined) j;

-- Products: 70% in USD, 30% in EUR, most cheap; one in twelve with stock 0-10 (what the inventory report lists).
insert into products (id, name, description, price, currency, stock, created_at, updated_at)
select 'prod_' || substr(md5('prod' || i), 1, 24),
       initcap(w1) || ' ' || w2 || ' ' || i,
       'A ' || w2 || ' for the report benchmark, number ' || i || '.',
       round(cast(1 + 299 * random() ^ 2 as numeric), 2),
       case when i % 10 < 7 then 'USD' else 'EUR' end,
       case when i % 12 = 0 then (i / 12) % 11 else 20 + floor(random() * 2000) end,
       listed, listed
from clock, generate_series(0, :products - 1) i,
     lateral (select (array['steel', 'compact', 'premium', 'wireless', 'classic', 'travel'])[1 + i % 6] as w1,
                     (array['kettle', 'lamp', 'notebook', 'charger', 'grinder', 'headphones', 'socks'])[1 + (i / 6) % 7]
                         as w2,
                     clock.window_start - interval '365 days' * random() as listed) w;

-- Products by currency, numbered from 0, for the order lines to pick from.
create temp table pick on commit drop as
select currency, cast(row_number() over (partition by currency order by md5(id)) - 1 as integer) as idx, id, name, price,
       count(*) over (partition by currency) as n
from products;
create index on pick (currency, idx);

-- Orders, numbered in the order they were placed (u grows with n). Recent orders are still on their way; older
-- ones were mostly delivered, a few cancelled or never paid. popularity picks the order's first product: cubed,
-- so a few products sell far more than the rest.
create temp table o on commit drop as
select n,
       'ord_' || substr(md5('ord' || n), 1, 24) as id,
       placed,
       case when r < 0.75 then 'USD' else 'EUR' end as currency,
       'usr_' || substr(md5('usr' || floor(random() * floor(:users * extract(epoch from placed - users_start)
                                                              / extract(epoch from users_span)))), 1, 24) as user_id,
       case when age < 3 then case when s < 0.25 then 'pending' when s < 0.30 then 'cancelled' when s < 0.65 then 'paid'
                                   when s < 0.90 then 'shipped' else 'delivered' end
            when age < 14 then case when s < 0.01 then 'pending' when s < 0.06 then 'cancelled' when s < 0.10 then 'paid'
                                    when s < 0.30 then 'shipped' else 'delivered' end
            else case when s < 0.005 then 'pending' when s < 0.06 then 'cancelled' when s < 0.065 then 'paid'
                      when s < 0.07 then 'shipped' else 'delivered' end
       end as status,
       random() < 0.4 as cancelled_after_payment,
       1 + floor(random() * 5) as lines,
       random() ^ 3 as popularity
from clock, generate_series(1, :orders) n,
     lateral (select clock.window_start + :days * interval '1 day' * (sqrt(1 + 3 * ((n - 1 + random()) / :orders)) - 1)
                         as placed, random() as r, random() as s) t,
     lateral (select extract(epoch from clock.now - placed) / 86400 as age) a;

-- The lines: consecutive products from the order's first one (so no product twice in an order), one or two units
-- mostly.
create temp table li on commit drop as
select o.n, o.id as order_id, k as line_number, p.id as product_id, p.name as product_name,
       cast(least(20, 1 + floor(-ln(1 - random()) * 0.8)) as integer) as quantity, p.price as unit_price
from o
cross join lateral generate_series(1, cast(o.lines as integer)) k
join (select distinct currency, n from pick) c on c.currency = o.currency
join pick p on p.currency = o.currency and p.idx = (cast(floor(o.popularity * c.n) as integer) + k - 1) % c.n
order by o.n, k;

insert into orders (id, user_id, status, total_amount, currency, ship_street, ship_city, ship_zip_code, ship_country,
                    created_at, updated_at)
select o.id, o.user_id, o.status, t.total, o.currency,
       (1 + o.n % 300) || ' ' || (array['Main Street', 'Hauptstrasse', 'Rue de la Paix', 'Elm Road'])[1 + o.n % 4],
       case when o.currency = 'USD' then (array['Boston', 'Denver', 'Austin'])[1 + o.n % 3]
            else (array['Berlin', 'Paris', 'Madrid'])[1 + o.n % 3] end,
       lpad(cast(o.n % 99999 as text), 5, '0'),
       case when o.currency = 'USD' then 'US' else (array['DE', 'FR', 'ES'])[1 + o.n % 3] end,
       o.placed,
       -- The last change: payment, shipping or delivery a few days on, never after now.
       least(clock.now, o.placed + case o.status when 'pending' then interval '0' when 'paid' then interval '2 minutes'
                                                 else interval '1 day' * (1 + o.n % 7) end)
from o
join (select n, sum(unit_price * quantity) as total from li group by n) t using (n)
cross join clock
order by o.n;

insert into order_items (order_id, line_number, product_id, product_name, quantity, unit_price, line_total)
select order_id, line_number, product_id, product_name, quantity, unit_price, unit_price * quantity
from li
order by n, line_number;

-- Payments: one succeeded payment for every order that was paid (paid, shipped, delivered, and 40% of the cancelled
-- ones, which were cancelled by a full refund); before it, for one order in twenty-five, a declined attempt; one in
-- ten pending orders has a declined attempt and nothing else. Refunds: 4% of the paid orders that were not
-- cancelled, half in full and half in part, made 1-30 days after the payment (never after now); most succeeded, a
-- few failed, and a few recent ones are still pending.
create temp table paid on commit drop as
select o.n, o.id as order_id, 'pay_' || substr(md5('pay' || o.n), 1, 24) as payment_id, t.total_amount as amount, o.currency,
       least(clock.now, o.placed + interval '2 minutes') as paid_at,
       case when o.status = 'cancelled' then 'cancel' when o.refund < 0.02 then 'full' when o.refund < 0.04 then 'part'
       end as refund_kind,
       o.refund_status, o.share,
       least(clock.now, o.placed + interval '1 day' * (1 + 29 * o.delay)) as refunded_at
-- The draws in a subquery of their own, so that each is made once per order (PostgreSQL does not flatten it).
from (select o.*, random() as refund, random() as refund_status, random() as share, random() as delay
      from o
      where o.status in ('paid', 'shipped', 'delivered') or (o.status = 'cancelled' and o.cancelled_after_payment)) o
join orders t on t.id = o.id
cross join clock;

create temp table refund on commit drop as
select p.n, 're_' || substr(md5('re' || p.n), 1, 24) as id, p.payment_id,
       case when p.refund_kind = 'part' then greatest(0.01, round(p.amount * cast(0.1 + 0.8 * p.share as numeric), 2)) else p.amount
       end as amount,
       case when p.refund_kind = 'cancel' or p.refund_status < 0.95 then 'succeeded'
            -- Pending only while the processor may still answer: the last few days.
            when p.refund_status < 0.98 or p.refunded_at < clock.now - interval '3 days' then 'failed'
            else 'pending' end as status,
       p.refund_kind = 'cancel' as cancels_order,
       p.refunded_at
from paid p
cross join clock
where p.refund_kind is not null;

insert into payments (id, order_id, amount, currency, status, payment_method_id, processor, processor_reference,
                      decline_code, failure_message, created_at, updated_at)
select 'pay_' || substr(md5('pay-declined' || o.n), 1, 24), o.id, t.total_amount, o.currency, 'failed',
       'pm_card_chargeDeclined', 'simulated', 'pi_sim_' || substr(md5('pi-declined' || o.n), 1, 24),
       'generic_decline', 'The card was declined.', tried, tried
from o
join orders t on t.id = o.id
cross join clock
cross join lateral (select least(clock.now, o.placed + interval '1 minute') as tried) a
where (o.status <> 'pending' and o.n % 25 = 0) or (o.status = 'pending' and o.n % 10 = 0)
order by o.n;

insert into payments (id, order_id, amount, currency, status, payment_method_id, processor, processor_reference,
                      refunded_amount, created_at, updated_at)
select p.payment_id, p.order_id, p.amount, p.currency, 'succeeded', 'pm_card_visa', 'simulated',
       'pi_sim_' || substr(md5('pi' || p.n), 1, 24),
       coalesce(f.amount, 0),
       p.paid_at,
       coalesce(f.refunded_at, p.paid_at)
from paid p
left join refund f on f.n = p.n and f.status = 'succeeded'
order by p.n;

insert into refunds (id, payment_id, amount, reason, processor_reference, status, failure_code, failure_message,
                     cancels_order, created_at, updated_at)
select f.id, f.payment_id, f.amount,
       case when f.cancels_order then 'order cancelled' else 'requested_by_customer' end,
       case when f.status <> 'pending' then 're_sim_' || substr(md5('re-sim' || f.n), 1, 24) end,
       f.status,
       case when f.status = 'failed' then 'charge_disputed' end,
       case when f.status = 'failed' then 'The charge is disputed and cannot be refunded.' end,
       f.cancels_order, f.refunded_at, f.refunded_at
from refund f
order by f.refunded_at;

-- A pending refund has its reconciliation job, as the API leaves it; the processor has not answered for a while, so
-- the next check is tomorrow, after the benchmark.
insert into scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, version, priority)
select 'refund-reconciliation', id, null, clock.now + interval '1 day', false, 1, 50
from refund cross join clock
where status = 'pending';

-- Access logs: one row per request, in time order, from a few dozen credentials (API keys and OAuth clients, a few
-- of them busy) and anonymous callers; half the authenticated requests act for a user. Statuses mostly 2xx, some
-- 3xx, 4xx and 5xx; durations skewed (a median near 10 ms, a tail of hundreds).
insert into access_logs (id, occurred_at, level, message, method, path, status, duration_ms, request_id,
                         credential_id, user_id, ip_address)
select 'log_' || substr(md5('log' || n), 1, 24),
       occurred,
       case when status >= 500 then 'error' when status >= 400 then 'warn' else 'info' end,
       coalesce('User ''bench-' || c.credential || '''', 'Anonymous caller') || ' accessed ' || e.method || ' '
           || e.path || ' (' || status || ', ' || duration || ' ms).',
       e.method, e.path, status, duration,
       'req_' || substr(md5('req' || n), 1, 24),
       c.credential_id,
       case when c.credential_id is not null and x.acts_for_user < 0.5
            then 'usr_' || substr(md5('usr' || floor(random() * floor(:users * extract(epoch from occurred - users_start)
                                                                    / extract(epoch from users_span)))), 1, 24) end,
       '10.' || coalesce(c.credential, 255) || '.' || (n % 250) || '.' || (1 + n % 199)
from clock, generate_series(1, :logs) n,
     lateral (select clock.window_start + :days * interval '1 day' * (sqrt(1 + 3 * ((n - 1 + random()) / :logs)) - 1)
                         as occurred,
                     random() as endpoint, random() as outcome, random() as acts_for_user,
                     -ln(1 - random()) as slowness, random() as anonymous, random() as caller) x,
     lateral (select case when x.anonymous < 0.04 then null else floor(40 * x.caller ^ 2) end as credential) k,
     lateral (select k.credential,
                     case when k.credential < 30 then 'key_' when k.credential >= 30 then 'cli_' end
                         || substr(md5('cred' || k.credential), 1, 24) as credential_id) c,
     lateral (select case when x.endpoint < 0.45 then 'GET' when x.endpoint < 0.70 then 'GET'
                          when x.endpoint < 0.80 then 'POST' when x.endpoint < 0.90 then 'GET'
                          when x.endpoint < 0.95 then 'POST' else 'PATCH' end as method,
                     case when x.endpoint < 0.45 then '/v2/products/prod_' || substr(md5('prod' || (n % 9973)), 1, 24)
                          when x.endpoint < 0.60 then '/v2/products'
                          when x.endpoint < 0.70 then '/v2/products/search'
                          when x.endpoint < 0.80 then '/v2/orders'
                          when x.endpoint < 0.90 then '/v2/orders/ord_' || substr(md5('ord' || (n % 99991)), 1, 24)
                          when x.endpoint < 0.95 then '/v2/payments'
                          else '/v2/products/prod_' || substr(md5('prod' || (n % 9973)), 1, 24) end as path) e,
     lateral (select case when x.outcome < 0.015 then 304
                          when x.outcome < 0.09 then (array[400, 401, 403, 404, 404, 409, 422, 429])[1 + n % 8]
                          when x.outcome < 0.10 then 503
                          when e.method = 'POST' then 201 else 200 end as status) s,
     lateral (select cast(least(30000, round(2 + 12 * x.slowness ^ 2 * case when s.status >= 500 then 20 else 1 end))
                          as integer) as duration) d;

commit;

\echo analyzing
analyze users, products, orders, order_items, payments, refunds, access_logs, scheduled_tasks;

select (select count(*) from users) as users, (select count(*) from products) as products,
       (select count(*) from orders) as orders, (select count(*) from order_items) as order_items,
       (select count(*) from payments) as payments, (select count(*) from refunds) as refunds,
       (select count(*) from access_logs) as access_logs;
