-- attack-lab: schema and seed (PostgreSQL 15), run as superuser in database `notes`.
-- The candidate role `app` owns the table and may create objects in schema public, as in orders-api.
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;

CREATE TABLE notes (
  id   serial PRIMARY KEY,
  body text NOT NULL
);
INSERT INTO notes (body) SELECT 'seed note ' || g FROM generate_series(1, 5) AS g;

ALTER TABLE notes OWNER TO app;
ALTER SEQUENCE notes_id_seq OWNER TO app;
GRANT CREATE ON SCHEMA public TO app;
