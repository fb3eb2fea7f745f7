-- Payments and refunds whose outcome is unknown are settled by one db-scheduler job each (payment-reconciliation,
-- refund-reconciliation, keyed by the row's id), queued in the transaction that writes the row. db-scheduler runs a
-- job on one server at a time and runs it again elsewhere when that server dies, which is what the locked_until
-- leases and the reconciler polling for them did before.

-- Rows still open get their job, due when their lease would have run out (no priority: NORMAL, 50).
insert into scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, version, priority)
select 'payment-reconciliation', id, null, coalesce(locked_until, now()), false, 1, 50
from payments where status = 'processing'
on conflict do nothing;

insert into scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, version, priority)
select 'refund-reconciliation', id, null, coalesce(locked_until, now()), false, 1, 50
from refunds where status = 'pending'
on conflict do nothing;

-- The leases are gone, and with them the indexes the reconciler polled (payments_processing, refunds_pending).
alter table payments drop column locked_until;
alter table refunds drop column locked_until;
