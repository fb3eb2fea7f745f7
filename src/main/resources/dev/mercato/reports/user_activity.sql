-- user_activity: per period (in the report's time zone; one period for granularity total), the users who joined,
-- the users who placed orders (any status) and how many, and the users whose credentials called the API.
with new_users as (
    select case cast(:granularity as text)
               when 'total' then cast(cast(:start_date as date) as timestamp)
               else date_trunc(cast(:granularity as text), u.created_at at time zone cast(:timezone as text))
           end as period,
           count(*) as new_users
    from report_users u
    where u.created_at >= cast(:from_time as timestamptz) and u.created_at < cast(:to_time as timestamptz)
    group by 1
), ordering as (
    select case cast(:granularity as text)
               when 'total' then cast(cast(:start_date as date) as timestamp)
               else date_trunc(cast(:granularity as text), o.placed_at at time zone cast(:timezone as text))
           end as period,
           count(distinct o.user_id) as ordering_users,
           count(*) as orders
    from report_orders o
    where o.placed_at >= cast(:from_time as timestamptz) and o.placed_at < cast(:to_time as timestamptz)
    group by 1
), calling as (
    select case cast(:granularity as text)
               when 'total' then cast(cast(:start_date as date) as timestamp)
               else date_trunc(cast(:granularity as text), r.occurred_at at time zone cast(:timezone as text))
           end as period,
           count(distinct r.user_id) as api_users
    from report_requests r
    where r.occurred_at >= cast(:from_time as timestamptz) and r.occurred_at < cast(:to_time as timestamptz)
      and r.user_id is not null
    group by 1
), periods as (
    select cast(cast(:start_date as date) as timestamp) as period
    where cast(:granularity as text) = 'total'
    union all
    select generate_series(date_trunc(cast(:granularity as text), cast(:start_date as date)),
                           cast(:end_date as date),
                           cast('1 ' || cast(:granularity as text) as interval))
    where cast(:granularity as text) <> 'total'
)
select cast(p.period as date) as period_start,
       coalesce(n.new_users, 0) as new_users,
       coalesce(o.ordering_users, 0) as ordering_users,
       coalesce(o.orders, 0) as orders,
       coalesce(round(cast(o.orders as numeric) / nullif(o.ordering_users, 0), 2), 0.00) as orders_per_ordering_user,
       coalesce(c.api_users, 0) as api_users
from periods p
left join new_users n on n.period = p.period
left join ordering o on o.period = p.period
left join calling c on c.period = p.period
order by period_start
