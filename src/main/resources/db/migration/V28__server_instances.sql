-- The servers running on this database, each beating its row every few seconds while it runs (and deleting it
-- when it stops). A server whose row has not been beaten for a while is dead: what it had claimed (an
-- Idempotency-Key mid-request) can be taken over at once, rather than when the claim's lease runs out.
create table server_instances (
    id           text        primary key,
    started_at   timestamptz not null,
    heartbeat_at timestamptz not null
);

-- Which server holds an in-progress claim; null for claims made before servers were recorded.
alter table idempotency_keys add column claimed_by text;
