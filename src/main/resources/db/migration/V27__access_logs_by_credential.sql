-- The access log of some credentials (a developer's API keys and OAuth clients on the dashboard's usage page): their
-- newest entries, their count and their traffic read along this index, in proportion to their own requests rather
-- than to the whole log. Requests without a credential are never looked up by it and are left out.
create index access_logs_by_credential on access_logs (credential_id, occurred_at desc, id desc)
    where credential_id is not null;
