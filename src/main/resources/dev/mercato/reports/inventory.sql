-- inventory: the products with stock at or below the threshold, the units of them sold (orders that count as sales:
-- paid, shipped, delivered) since the window began, and how many days the stock lasts at that rate.
with low as (
    select product_id, name, stock, currency
    from report_products
    where stock <= cast(:threshold as integer)
), sold as (
    select l.product_id, sum(l.quantity) as units
    from report_orders o
    join report_order_lines l on l.order_id = o.order_id
    where o.status in ('paid', 'shipped', 'delivered')
      and o.placed_at >= cast(:since as timestamptz)
      and l.product_id in (select product_id from low)
    group by l.product_id
)
select p.product_id,
       p.name as product_name,
       p.stock,
       coalesce(s.units, 0) as units_sold,
       round(coalesce(s.units, 0) / cast(:days as numeric), 2) as units_per_day,
       -- None when nothing sold: at a rate of zero the stock lasts for ever.
       case when s.units > 0 then round(p.stock * cast(:days as numeric) / s.units, 1) end as days_of_stock_left
from low p
left join sold s on s.product_id = p.product_id
order by days_of_stock_left nulls last, p.stock, p.product_id
