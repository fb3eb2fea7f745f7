-- The number of products, kept by triggers, so that GET /v2/products answers X-Total-Count without counting the
-- table at every request (a count(*) read every row: most of the list's cost). Statement-level triggers see
-- every way rows come and go (the API, the demo data, a bulk load in SQL). Concurrent inserts queue on this one
-- row until they commit, which product creation, an administrator's operation, can afford.
create table product_count (
    singleton boolean primary key default true check (singleton),
    total     bigint  not null
);

insert into product_count (total) select count(*) from products;

create function product_count_inserted() returns trigger language plpgsql as $$
begin
    update product_count set total = total + (select count(*) from inserted_rows);
    return null;
end $$;

create function product_count_deleted() returns trigger language plpgsql as $$
begin
    update product_count set total = total - (select count(*) from deleted_rows);
    return null;
end $$;

create function product_count_truncated() returns trigger language plpgsql as $$
begin
    update product_count set total = 0;
    return null;
end $$;

create trigger products_counted_on_insert after insert on products
    referencing new table as inserted_rows for each statement execute function product_count_inserted();
create trigger products_counted_on_delete after delete on products
    referencing old table as deleted_rows for each statement execute function product_count_deleted();
create trigger products_counted_on_truncate after truncate on products
    for each statement execute function product_count_truncated();
