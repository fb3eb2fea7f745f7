-- api_usage: per day (in the report's time zone), credential and status class, the API requests made and their
-- median and 95th-percentile durations, from the access log.
select cast(r.occurred_at at time zone cast(:timezone as text) as date) as day,
       r.credential_id,
       (r.status / 100) || 'xx' as status_class,
       count(*) as requests,
       round(cast(percentile_cont(0.5) within group (order by r.duration_ms) as numeric), 1) as p50_ms,
       round(cast(percentile_cont(0.95) within group (order by r.duration_ms) as numeric), 1) as p95_ms
from report_requests r
where r.occurred_at >= cast(:from_time as timestamptz) and r.occurred_at < cast(:to_time as timestamptz)
  and (cast(:credential_id as text) is null or r.credential_id = cast(:credential_id as text))
group by 1, 2, 3
order by 1, 2 nulls first, 3
