CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
CREATE TABLE notes (id bigserial PRIMARY KEY, body text NOT NULL);
ALTER TABLE notes OWNER TO app;
