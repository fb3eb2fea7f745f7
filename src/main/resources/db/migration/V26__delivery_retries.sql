-- A notification or webhook delivery that failed can be retried by hand: it then gets a new round of automatic
-- attempts. attempts stays the total; the round's limit (max-attempts) counts from attempts_before_retry, the
-- attempts it had when it was last retried.
alter table notifications
    add column attempts_before_retry int not null default 0 check (attempts_before_retry >= 0);
alter table webhook_deliveries
    add column attempts_before_retry int not null default 0 check (attempts_before_retry >= 0);

-- Every subscription's deliveries together, newest first, and by status (the dashboard's list).
create index webhook_deliveries_created_idx on webhook_deliveries (created_at desc, id desc);
create index webhook_deliveries_status_idx on webhook_deliveries (status, created_at desc, id desc);
