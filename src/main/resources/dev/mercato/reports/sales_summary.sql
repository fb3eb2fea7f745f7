-- sales_summary: per period (in the report's time zone) and currency, the orders that count as sales (paid, shipped,
-- delivered) by when they were placed, and the refunds of those orders by when they were made.
with sales as (
    select date_trunc(cast(:granularity as text), o.placed_at at time zone cast(:timezone as text)) as period,
           o.currency,
           count(*) as orders,
           sum(o.total_amount) as gross_revenue
    from report_orders o
    where o.status in ('paid', 'shipped', 'delivered')
      and o.placed_at >= cast(:from_time as timestamptz) and o.placed_at < cast(:to_time as timestamptz)
      and (cast(:currency as text) is null or o.currency = cast(:currency as text))
    group by 1, 2
), units as (
    select date_trunc(cast(:granularity as text), o.placed_at at time zone cast(:timezone as text)) as period,
           o.currency,
           sum(l.quantity) as units
    from report_orders o
    join report_order_lines l on l.order_id = o.order_id
    where o.status in ('paid', 'shipped', 'delivered')
      and o.placed_at >= cast(:from_time as timestamptz) and o.placed_at < cast(:to_time as timestamptz)
      and (cast(:currency as text) is null or o.currency = cast(:currency as text))
    group by 1, 2
), refunds as (
    select date_trunc(cast(:granularity as text), r.refunded_at at time zone cast(:timezone as text)) as period,
           r.currency,
           sum(r.amount) as refunds
    from report_refunds r
    join report_orders o on o.order_id = r.order_id
    where o.status in ('paid', 'shipped', 'delivered')
      and r.refunded_at >= cast(:from_time as timestamptz) and r.refunded_at < cast(:to_time as timestamptz)
      and (cast(:currency as text) is null or r.currency = cast(:currency as text))
    group by 1, 2
), currencies as (
    select currency from sales
    union
    select currency from refunds
), periods as (
    -- Every period of the range, those without a sale too.
    select generate_series(date_trunc(cast(:granularity as text), cast(:start_date as date)),
                           cast(:end_date as date),
                           cast('1 ' || cast(:granularity as text) as interval)) as period
)
select cast(p.period as date) as period_start,
       c.currency,
       coalesce(s.orders, 0) as orders,
       coalesce(u.units, 0) as units,
       coalesce(s.gross_revenue, 0) as gross_revenue,
       coalesce(f.refunds, 0) as refunds,
       coalesce(s.gross_revenue, 0) - coalesce(f.refunds, 0) as net_revenue
from periods p
cross join currencies c
left join sales s on s.period = p.period and s.currency = c.currency
left join units u on u.period = p.period and u.currency = c.currency
left join refunds f on f.period = p.period and f.currency = c.currency
order by period_start, c.currency
