-- The Idempotency-Key a payment request came with (and the credential it belongs to, as keys do): a retry of a
-- request whose answer was not kept (a 502 while the outcome was unknown) is answered with the payment it started.
alter table payments
    add column request_credential text,
    add column request_key        text check (length(request_key) between 1 and 255);

create index payments_by_request_key on payments (request_credential, request_key, created_at desc)
    where request_key is not null;
