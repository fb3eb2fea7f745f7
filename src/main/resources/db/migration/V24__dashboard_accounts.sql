-- The developer dashboard's accounts (/dashboard): the admin, created on the first start, and developers. Passwords
-- are bcrypt hashes. Failed sign-ins are counted per account, here rather than in memory, so that every server of a
-- deployment locks the same account.
create table dashboard_accounts (
    username         text        primary key check (length(username) between 1 and 64),
    role             text        not null check (role in ('admin', 'developer')),
    password_hash    text        not null,
    failed_sign_ins  integer     not null default 0 check (failed_sign_ins >= 0),
    locked_until     timestamptz,               -- sign-ins are refused until then
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now()
);
