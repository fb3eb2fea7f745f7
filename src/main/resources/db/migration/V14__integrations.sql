-- Third-party integrations configured over the API (/v2/integrations). One row per integration that has been
-- configured or tested; an integration without a row runs on server configuration alone. The catalogue itself
-- (which integrations exist, their names and categories) lives in code.
create table integrations (
    id              text        primary key
                                check (id in ('smtp', 'sms', 'push', 'simulated', 'stripe', 'webhooks')),
    -- Non-secret settings as sent (snake_case keys); a key that is absent falls back to server configuration.
    settings        jsonb       not null default '{}'::jsonb check (jsonb_typeof(settings) = 'object'),
    -- Secret settings (passwords, tokens): AES-256-GCM ciphertext of a JSON object, as
    -- version byte || 12-byte nonce || ciphertext with tag, the integration id as associated data.
    -- Null when no secret is stored.
    secrets         bytea,
    -- When and by which API key or OAuth client the settings were last changed through the API; both null when
    -- the row holds only a test result of an integration that runs on server configuration.
    updated_at      timestamptz,
    updated_by      text,
    last_test_at    timestamptz,
    last_test_ok    boolean,
    last_test_error text,
    check ((last_test_at is null) = (last_test_ok is null))
);

comment on column integrations.secrets is
    'AES-256-GCM (mercato.integrations.encryption-key): 0x01 || nonce(12) || ciphertext+tag; AAD = id';
