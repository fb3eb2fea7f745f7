-- Access logs: one row per API request, written in batches by a background writer.
create table access_logs (
    id             text        primary key,
    occurred_at    timestamptz not null,
    level          text        not null check (level in ('info', 'warn', 'error')),
    message        text        not null,
    method         text        not null,
    path           text        not null,
    status         integer     not null,
    duration_ms    integer     not null,
    request_id     text        not null,
    credential_id  text,
    user_id        text,
    ip_address     text        not null
);

create index access_logs_by_time on access_logs (occurred_at desc, id desc);
create index access_logs_by_level on access_logs (level, occurred_at desc);
