-- Idempotency keys that survive a crash between the commit of a request's work and the storing of its response.
-- (credential_id holds the key's owner: the credential, or '<client id>/<user id>' for a token acting for a user.)
alter table idempotency_keys
    -- Which attempt holds the key, new at every claim. An attempt writes to the key only while it is still its own,
    -- so one that outlived its lease and was taken over by a retry can neither record a creation nor a response.
    add column claim_id    text,
    -- What the request created, written in the transaction that created it: a retry that takes over a claim
    -- abandoned after that commit answers with this resource instead of creating another.
    add column resource_id text;
