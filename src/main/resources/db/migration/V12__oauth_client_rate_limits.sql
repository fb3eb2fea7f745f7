-- An OAuth client may have its own API rate limit, like an API key (null: the server's default).
alter table oauth2_registered_client
    add column rate_limit_per_minute integer check (rate_limit_per_minute between 1 and 1000000);
