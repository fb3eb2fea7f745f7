-- top_products: per currency, the products whose lines sold most in orders that count as sales (paid, shipped,
-- delivered) placed in the range, ranked by units or by revenue (the lines' totals at the prices of the moment).
with sold as (
    select l.product_id,
           o.currency,
           sum(l.quantity) as units,
           sum(l.line_total) as revenue,
           count(*) as orders,         -- an order has at most one line per product
           max(l.product_name) as name_when_sold
    from report_orders o
    join report_order_lines l on l.order_id = o.order_id
    where o.status in ('paid', 'shipped', 'delivered')
      and o.placed_at >= cast(:from_time as timestamptz) and o.placed_at < cast(:to_time as timestamptz)
      and (cast(:currency as text) is null or o.currency = cast(:currency as text))
    group by l.product_id, o.currency
), ranked as (
    select s.*,
           row_number() over (partition by s.currency order by s.units desc, s.revenue desc, s.product_id)
               as rank_by_units,
           row_number() over (partition by s.currency order by s.revenue desc, s.units desc, s.product_id)
               as rank_by_revenue
    from sold s
)
select r.currency,
       case cast(:rank_by as text) when 'revenue' then r.rank_by_revenue else r.rank_by_units end as rank,
       r.product_id,
       coalesce(p.name, r.name_when_sold) as product_name,
       r.units,
       r.revenue,
       r.orders,
       r.rank_by_units,
       r.rank_by_revenue
from ranked r
left join report_products p on p.product_id = r.product_id
where case cast(:rank_by as text) when 'revenue' then r.rank_by_revenue else r.rank_by_units end
      <= cast(:row_limit as integer)
order by r.currency, rank
