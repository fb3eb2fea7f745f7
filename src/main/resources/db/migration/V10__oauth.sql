-- OAuth 2.0 authorization server. The first three tables are Spring Security's own schema
-- (oauth2-registered-client-schema.sql, oauth2-authorization-schema.sql and
-- oauth2-authorization-consent-schema.sql in spring-security-oauth2-authorization-server), adapted to
-- PostgreSQL as its notes say: blob -> text, timestamp -> timestamptz. Spring reads and writes them
-- through JdbcRegisteredClientRepository, JdbcOAuth2AuthorizationService and
-- JdbcOAuth2AuthorizationConsentService, so every server on this database shares clients and tokens.
-- Additions: indexes for the lookups Spring makes, foreign keys, and created_at for housekeeping.

-- Registered clients. id and client_id hold the same value (cli_...); client_secret is "{sha256}<hash>".
create table oauth2_registered_client (
    id                            varchar(100)  not null primary key,
    client_id                     varchar(100)  not null,
    client_id_issued_at           timestamptz   not null default current_timestamp,
    client_secret                 varchar(200),
    client_secret_expires_at      timestamptz,
    client_name                   varchar(200)  not null,
    client_authentication_methods varchar(1000) not null,
    authorization_grant_types     varchar(1000) not null,
    redirect_uris                 varchar(1000),
    post_logout_redirect_uris     varchar(1000),
    scopes                        varchar(1000) not null,
    client_settings               varchar(2000) not null,
    token_settings                varchar(2000) not null
);

-- Client authentication looks clients up by client_id on every token request.
create unique index oauth2_registered_client_client_id on oauth2_registered_client (client_id);
create index oauth2_registered_client_by_issued on oauth2_registered_client (client_id_issued_at desc, id desc);

-- Grants and the tokens issued under them (for client_credentials: one row per access token).
create table oauth2_authorization (
    id                            varchar(100) not null primary key,
    registered_client_id          varchar(100) not null references oauth2_registered_client (id) on delete cascade,
    principal_name                varchar(200) not null,
    authorization_grant_type      varchar(100) not null,
    authorized_scopes             varchar(1000),
    attributes                    text,
    state                         varchar(500),
    authorization_code_value      text,
    authorization_code_issued_at  timestamptz,
    authorization_code_expires_at timestamptz,
    authorization_code_metadata   text,
    access_token_value            text,
    access_token_issued_at        timestamptz,
    access_token_expires_at       timestamptz,
    access_token_metadata         text,
    access_token_type             varchar(100),
    access_token_scopes           varchar(1000),
    oidc_id_token_value           text,
    oidc_id_token_issued_at       timestamptz,
    oidc_id_token_expires_at      timestamptz,
    oidc_id_token_metadata        text,
    refresh_token_value           text,
    refresh_token_issued_at       timestamptz,
    refresh_token_expires_at      timestamptz,
    refresh_token_metadata        text,
    user_code_value               text,
    user_code_issued_at           timestamptz,
    user_code_expires_at          timestamptz,
    user_code_metadata            text,
    device_code_value             text,
    device_code_issued_at         timestamptz,
    device_code_expires_at        timestamptz,
    device_code_metadata          text,
    created_at                    timestamptz  not null default now()  -- not Spring's: for the purge
);

-- Introspection and revocation find a grant by any of its token values (one "a = ? or b = ? ..." query):
-- an index on each, hash indexes since token values are long and only ever compared for equality.
create index oauth2_authorization_state on oauth2_authorization using hash (state);
create index oauth2_authorization_code on oauth2_authorization using hash (authorization_code_value);
create index oauth2_authorization_access_token on oauth2_authorization using hash (access_token_value);
create index oauth2_authorization_id_token on oauth2_authorization using hash (oidc_id_token_value);
create index oauth2_authorization_refresh_token on oauth2_authorization using hash (refresh_token_value);
create index oauth2_authorization_user_code on oauth2_authorization using hash (user_code_value);
create index oauth2_authorization_device_code on oauth2_authorization using hash (device_code_value);
create index oauth2_authorization_by_client on oauth2_authorization (registered_client_id);
create index oauth2_authorization_by_created on oauth2_authorization (created_at);

-- End-user consents (for the authorization_code flow).
create table oauth2_authorization_consent (
    registered_client_id varchar(100)  not null references oauth2_registered_client (id) on delete cascade,
    principal_name       varchar(200)  not null,
    authorities          varchar(1000) not null,
    primary key (registered_client_id, principal_name)
);

-- The keys that sign access tokens (RS256). Every server signs with the current one and verifies with any
-- that has not expired, so tokens work on every server and across restarts. A key signs from activates_at
-- to retires_at (mercato.oauth.key-rotation later), and verifies until expires_at, when every token it
-- signed has expired. The private key is PKCS#8: protect this table like a password file.
create table oauth_signing_keys (
    kid          text        primary key,           -- the JWS "kid" header; a lookup key, nothing more
    algorithm    text        not null check (algorithm = 'RS256'),
    public_key   bytea       not null,              -- X.509 SubjectPublicKeyInfo, DER
    private_key  bytea       not null,              -- PKCS#8, DER
    created_at   timestamptz not null default now(),
    activates_at timestamptz not null,
    retires_at   timestamptz not null,
    expires_at   timestamptz not null,
    check (activates_at < retires_at and retires_at <= expires_at)
);

create index oauth_signing_keys_by_expiry on oauth_signing_keys (expires_at);

-- Access tokens revoked before they expire (RFC 7009). Every server keeps the unexpired ones in memory and
-- hears of new ones through NOTIFY mercato_oauth_revocations.
create table oauth_revoked_tokens (
    jti        text        primary key,
    client_id  text        not null,
    expires_at timestamptz not null,                -- the token's own expiry: the row is moot after it
    revoked_at timestamptz not null default now()
);

create index oauth_revoked_tokens_by_expiry on oauth_revoked_tokens (expires_at);

-- Deleted clients: every token they were issued stops working at once, however many there are.
create table oauth_revoked_clients (
    client_id  text        primary key,
    revoked_at timestamptz not null default now(),
    expires_at timestamptz not null                 -- when the last token the client held has expired
);

create index oauth_revoked_clients_by_expiry on oauth_revoked_clients (expires_at);
