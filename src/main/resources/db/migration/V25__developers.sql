-- Developers: users given the developer role, who sign in to the dashboard with their own username and password
-- and manage their own credentials, granting only the scopes listed here.
create table developers (
    user_id     text        primary key references users (id) on delete cascade,
    scopes      text[]      not null check (cardinality(scopes) > 0 and not ('admin' = any (scopes))),
    granted_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);

-- Failed sign-ins, to the dashboard and to the OAuth sign-in page alike, per account ('admin', 'user:<id>') and per
-- client address ('address:<ip>'), here rather than in memory so that every server of a deployment locks the same
-- ones. Failures older than the lockout window are forgotten. Moved out of dashboard_accounts, which now holds the
-- admin only.
create table sign_in_failures (
    key              text        primary key,
    failed_sign_ins  integer     not null default 0 check (failed_sign_ins >= 0),
    last_failed_at   timestamptz not null default now(),
    locked_until     timestamptz                -- sign-ins are refused until then
);
insert into sign_in_failures (key, failed_sign_ins, locked_until)
select username, failed_sign_ins, locked_until from dashboard_accounts
where failed_sign_ins > 0 or locked_until is not null;
alter table dashboard_accounts drop column failed_sign_ins, drop column locked_until;

-- The developer who registered an OAuth client in the dashboard (null: registered by an admin). Their clients are
-- deleted with them, by the application, so that the clients' tokens are revoked too.
alter table oauth2_registered_client add column owner_user_id text;
create index oauth2_registered_client_by_owner on oauth2_registered_client (owner_user_id, client_id_issued_at desc)
    where owner_user_id is not null;
