-- orders-api: deterministic seed (generate_series and integer arithmetic only, no random()).
-- Run as superuser in database `orders` after schema.sql, with psql (VACUUM cannot run in a transaction).
--   100,000 customers, 100,000 api_tokens (token of customer N is 'seed-token-N'), 20,000 products,
--   1,000,000 orders (10% of them belong to customers 1..20, about 5,000 each), about 3,000,000 order_items.
-- Orders of one customer share created_at values on purpose (groups of 3 for customers 1..20, pairs for the
-- others) and their ids do not follow their timestamps, so a cursor that is not (created_at, id) breaks.

SET work_mem = '256MB';
SET maintenance_work_mem = '512MB';
-- The load commits synchronously even where the server runs with synchronous_commit = off: VACUUM cannot set
-- hint bits (nor mark pages all-visible, which index-only scans need) before the commit record is flushed.
SET synchronous_commit = on;
-- Foreign keys are not checked row by row during the load (superuser only); the DO block at the end
-- verifies them, and the totals, in a few set-based queries instead.
SET session_replication_role = replica;

BEGIN;

-- customers: '<First> <Last>', unique e-mail, created during 2023.
INSERT INTO customers (id, email, name, created_at)
SELECT c,
       lower(f.first || '.' || l.last) || '.' || c || '@example.com',
       f.first || ' ' || l.last,
       timestamptz '2023-01-01 00:00:00+00' + c * interval '5 minutes'
FROM generate_series(1::bigint, 100000) AS c
CROSS JOIN LATERAL (SELECT (ARRAY['Alice','Bruno','Chloe','David','Emma','Felix','Grace','Hugo','Iris','Jonas',
  'Karin','Liam','Maya','Noah','Olga','Pablo','Quinn','Rosa','Samir','Tara','Umar','Vera','Walter','Xenia',
  'Yusuf','Zoe','Anna','Ben','Clara','Diego','Elena','Farid','Greta','Hannah','Ivan','Julia','Kenji','Lena',
  'Marco','Nina'])[1 + c % 40] AS first) AS f
CROSS JOIN LATERAL (SELECT (ARRAY['Smith','Garcia','Müller','Rossi','Dubois','Kowalski','Novak','Silva',
  'Jensen','Nakamura','Okafor','Petrov','Andersson','Cohen','Kim','Martin','Bernard','Schmidt','Costa',
  'Horvat','Larsen','Moreau','Nguyen','Olsen','Popescu','Quispe','Romero','Santos','Tanaka','Ueda','Varga',
  'Weber','Yilmaz','Zhang','Baker','Carter','Dalton','Ellis','Fischer','Gomez','Hughes','Ibrahim','Jovanovic',
  'Keller','Lopez','Meyer','Nilsen','Ortiz','Park','Reyes'])[1 + (c / 40) % 50] AS last) AS l;

-- api_tokens: the bearer token of customer N is 'seed-token-N'.
INSERT INTO api_tokens (token_sha256, customer_id, created_at)
SELECT encode(sha256(('seed-token-' || c)::bytea), 'hex'), c, timestamptz '2023-01-01 00:00:00+00' + c * interval '5 minutes'
FROM generate_series(1::bigint, 100000) AS c;

-- products: '<Adjective> <Material> <Noun>'. 23, 16 and 55 are pairwise coprime and 23*16*55 >= 20,000, so
-- every name is unique and each word is spread evenly over the ids ('lamp' ~1,100 rows, 'Oak' 1,250,
-- 'desk' ~730). 23*16 does not divide 20,000, so the sorted names are not a regular grid and the planner's
-- histogram of products.name samples every noun. Prices 1.99..499.99, stock 500..100,000.
INSERT INTO products (id, sku, name, price_cents, stock)
SELECT p,
       'SKU-' || p,
       (ARRAY['Rustic','Modern','Classic','Compact','Deluxe','Vintage','Sleek','Sturdy','Elegant','Portable',
         'Handmade','Minimalist','Ergonomic','Industrial','Cozy','Premium','Essential','Nordic','Foldable',
         'Adjustable','Scandinavian','Lightweight','Heavy-Duty'])[1 + p % 23]
       || ' ' ||
       (ARRAY['Oak','Walnut','Pine','Bamboo','Steel','Aluminum','Brass','Copper','Ceramic','Glass','Marble',
         'Leather','Linen','Wool','Cotton','Concrete'])[1 + p % 16]
       || ' ' ||
       (ARRAY['Desk','Lamp','Chair','Table','Shelf','Stool','Bench','Cabinet','Dresser','Bookcase','Sofa',
         'Armchair','Ottoman','Wardrobe','Nightstand','Mirror','Clock','Vase','Bowl','Tray','Planter','Rug',
         'Cushion','Blanket','Curtain','Picture Frame','Candle Holder','Coat Rack','Side Table','Coffee Table',
         'Floor Lamp','Desk Lamp','Pendant Light','Wall Sconce','Mug','Plate','Cutting Board','Spice Rack',
         'Wine Rack','Basket','Storage Box','Drawer Organizer','Laptop Stand','Monitor Riser','Footrest',
         'Headboard','Bed Frame','Bar Stool','Lantern','Umbrella Stand','Shoe Rack','Teapot','Doormat','Hook Set',
         'Serving Board'])[1 + p % 55],
       ((p * 7919) % 499 + 2) * 100 - 1,
       500 + (p * 104729) % 99501
FROM generate_series(1::bigint, 20000) AS p;

-- order_items: 1..5 distinct products per order (offsets 0, 4001, 8002, 12003, 16004 modulo 20,000),
-- quantity 1..3, unit price = the product's price.
INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents)
SELECT i.order_id, p.id, i.quantity, p.price_cents
FROM (SELECT g AS order_id,
             (g * 7919 + k * 4001) % 20000 + 1 AS product_id,
             1 + (g + k) % 3 AS quantity
      FROM generate_series(1::bigint, 1000000) AS g
      CROSS JOIN LATERAL generate_series(0, ((g * 1103515245 + 12345) % 2147483648) % 5) AS k) AS i
JOIN products p ON p.id = i.product_id;

-- orders. Order g belongs to one of customers 1..20 when g % 10 = 0 (m = g / 10: customer m % 20 + 1, its
-- k-th order with k = m / 20, about 5,000 each); its time bucket (k * 1237 + c * 101) % 5003 / 3 puts three
-- orders of the customer on one timestamp, scattered over their ids. Every other order is the j-th "light"
-- one (j = 0..899,999): pairs p = j / 2 share a customer in 21..100,000 and a timestamp.
-- Timestamps lie in 2024-01-01 .. 2026-06-30 UTC with millisecond parts. Status from a multiplicative hash:
-- 20% pending, 40% paid, 30% shipped, 10% cancelled. total_cents = sum of the order's items.
INSERT INTO orders (id, customer_id, status, total_cents, created_at)
SELECT o.g, o.customer_id,
       (ARRAY['pending','pending','paid','paid','paid','paid','shipped','shipped','shipped','cancelled'])
         [1 + ((o.g * 2654435761) % 4294967296) / 429496730],
       t.total_cents,
       o.created_at
FROM (SELECT g,
             CASE WHEN g % 10 = 0 THEN (g / 10) % 20 + 1
                  ELSE 21 + ((g - g / 10 - 1) / 2 * 7919) % 99980 END AS customer_id,
             CASE WHEN g % 10 = 0 THEN
                    timestamptz '2024-01-01 00:00:00+00'
                    + (((g / 10 / 20) * 1237 + ((g / 10) % 20 + 1) * 101) % 5003 / 3) * interval '47000 seconds'
                    + ((g / 10) % 20 + 1) * interval '61 seconds'
                    + (((g / 10 / 20) * 1237 + ((g / 10) % 20 + 1) * 101) % 5003 / 3 % 1000) * interval '1 millisecond'
                  ELSE
                    timestamptz '2024-01-01 00:00:00+00'
                    + (((g - g / 10 - 1) / 2 * 104729) % 78700000) * interval '1 second'
                    + ((g - g / 10 - 1) / 2 % 1000) * interval '1 millisecond' END AS created_at
      FROM generate_series(1::bigint, 1000000) AS g) AS o
JOIN (SELECT order_id, sum(quantity * unit_price_cents)::integer AS total_cents
      FROM order_items GROUP BY order_id) AS t ON t.order_id = o.g;

-- Move the sequence past the seeded ids, then make the checks the row-by-row triggers would have made,
-- plus the seed's own invariants.
DO $$
BEGIN
  PERFORM setval('orders_id_seq', (SELECT max(id) FROM orders));
  IF EXISTS (SELECT 1 FROM api_tokens t LEFT JOIN customers c ON c.id = t.customer_id WHERE c.id IS NULL)
     OR EXISTS (SELECT 1 FROM orders o LEFT JOIN customers c ON c.id = o.customer_id WHERE c.id IS NULL)
     OR EXISTS (SELECT 1 FROM order_items i LEFT JOIN orders o ON o.id = i.order_id WHERE o.id IS NULL)
     OR EXISTS (SELECT 1 FROM order_items i LEFT JOIN products p ON p.id = i.product_id WHERE p.id IS NULL)
  THEN
    RAISE EXCEPTION 'seed: foreign key violated';
  END IF;
  IF (SELECT count(*) FROM orders) <> 1000000 OR (SELECT count(*) FROM customers) <> 100000
     OR (SELECT count(*) FROM products) <> 20000 OR (SELECT count(*) FROM api_tokens) <> 100000 THEN
    RAISE EXCEPTION 'seed: unexpected row counts';
  END IF;
END
$$;

COMMIT;

SET session_replication_role = origin;
VACUUM ANALYZE;
