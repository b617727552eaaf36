-- The PostgreSQL store behind FerretDB: statement statistics for the grader. FerretDB creates one schema per
-- MongoDB database and one table per collection in it.
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
