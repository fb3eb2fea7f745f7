-- Users: the customers and operators the API serves.
create table users (
    id          text        primary key,
    username    text        not null check (username ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{2,31}$'),
    email       text        check (length(email) <= 254 and email like '%_@_%'),
    status      text        not null default 'active' check (status in ('active', 'inactive')),
    first_name  text        check (length(first_name) <= 100),
    last_name   text        check (length(last_name) <= 100),
    phone       text        check (phone ~ '^\+[1-9][0-9]{1,14}$'),  -- E.164, needed for SMS
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    version     bigint      not null default 1                       -- bumped on every change; the ETag
);

-- Usernames and email addresses are unique regardless of case.
create unique index users_username_key on users (lower(username));
create unique index users_email_key on users (lower(email));
create index users_by_created on users (created_at desc, id desc);
create index users_by_status on users (status, created_at desc, id desc);
