-- orders-api: schema of the challenge database (PostgreSQL 15).
-- Run as superuser while connected to database `orders`; the non-superuser role `app` already exists.
-- Exactly the contract's tables, keys and constraints: no other index. The candidate role owns every table
-- and sequence and may create objects (indexes, tables, functions) in schema public.

CREATE EXTENSION IF NOT EXISTS pg_stat_statements;

CREATE TABLE customers (
  id         bigint PRIMARY KEY,
  email      text UNIQUE NOT NULL,
  name       text NOT NULL,
  created_at timestamptz NOT NULL
);

CREATE TABLE api_tokens (
  token_sha256 text PRIMARY KEY,  -- lowercase hex SHA-256 of the bearer token
  customer_id  bigint NOT NULL REFERENCES customers,
  created_at   timestamptz NOT NULL
);

CREATE TABLE products (
  id          bigint PRIMARY KEY,
  sku         text UNIQUE NOT NULL,
  name        text NOT NULL,
  price_cents integer NOT NULL CHECK (price_cents >= 0),
  stock       integer NOT NULL CHECK (stock >= 0)
);

CREATE TABLE orders (
  id          bigserial PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers,
  status      text NOT NULL CHECK (status IN ('pending', 'paid', 'shipped', 'cancelled')),
  total_cents integer NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE order_items (
  order_id         bigint NOT NULL REFERENCES orders,
  product_id       bigint NOT NULL REFERENCES products,
  quantity         integer NOT NULL CHECK (quantity > 0),
  unit_price_cents integer NOT NULL,
  PRIMARY KEY (order_id, product_id)
);

ALTER TABLE customers OWNER TO app;
ALTER TABLE api_tokens OWNER TO app;
ALTER TABLE products OWNER TO app;
ALTER TABLE orders OWNER TO app;        -- also moves the owned sequence orders_id_seq
ALTER SEQUENCE orders_id_seq OWNER TO app;
ALTER TABLE order_items OWNER TO app;

GRANT CREATE ON SCHEMA public TO app;
