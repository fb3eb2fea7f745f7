-- A user may have a password, to sign in when authorizing an application (OAuth 2.0 authorization code).
-- Only a slow, salted hash is stored ({bcrypt}...), never the password.
alter table users add column password_hash text;
