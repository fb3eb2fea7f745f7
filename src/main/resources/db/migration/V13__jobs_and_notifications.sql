-- Background jobs (db-scheduler's table): one row per pending execution, claimed with FOR UPDATE SKIP LOCKED.
create table scheduled_tasks (
    task_name            text        not null,
    task_instance        text        not null,
    task_data            bytea,
    execution_time       timestamptz not null,
    picked               boolean     not null,
    picked_by            text,
    last_success         timestamptz,
    last_failure         timestamptz,
    consecutive_failures int,
    last_heartbeat       timestamptz,
    version              bigint      not null,
    priority             smallint,
    primary key (task_name, task_instance)
);
create index scheduled_tasks_execution_time_idx on scheduled_tasks (execution_time);
create index scheduled_tasks_last_heartbeat_idx on scheduled_tasks (last_heartbeat);
create index scheduled_tasks_priority_execution_time_idx on scheduled_tasks (priority desc, execution_time asc);

create table notifications (
    id           text primary key,
    user_id      text        not null references users (id) on delete cascade,
    type         text        not null check (type in ('email', 'sms', 'push')),
    priority     text        not null check (priority in ('low', 'normal', 'high')),
    subject      text,
    message      text        not null check (length(message) > 0),
    recipient    text        not null,
    status       text        not null check (status in ('queued', 'sending', 'sent', 'failed')),
    attempts     int         not null default 0 check (attempts >= 0),
    last_error   text,
    source       text        not null,
    created_by   text,
    created_at   timestamptz not null,
    updated_at   timestamptz not null,
    sent_at      timestamptz
);
create index notifications_user_idx on notifications (user_id, created_at desc, id desc);
create index notifications_status_idx on notifications (status, created_at desc, id desc);
create index notifications_created_idx on notifications (created_at desc, id desc);
