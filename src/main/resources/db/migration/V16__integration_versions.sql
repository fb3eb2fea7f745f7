-- A version per stored integration, bumped by every change to what the API shows (settings, last test): the ETag.
alter table integrations add column version bigint not null default 1;
