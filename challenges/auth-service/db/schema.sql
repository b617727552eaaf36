-- auth-service: schema of the challenge database (PostgreSQL 15).
-- Run as superuser while connected to database `auth`; the non-superuser role `app` already exists.
-- Exactly the contract's tables, keys and constraints (README.md, "Database"): no other index. The candidate
-- role owns every table and sequence and may create objects (indexes, tables, functions) in schema public.

CREATE EXTENSION IF NOT EXISTS pg_stat_statements;

CREATE TABLE users (
  id                  bigserial PRIMARY KEY,
  email               text NOT NULL,           -- as registered; unique case-insensitively
  password_hash       text NOT NULL,           -- a PHC or modular-crypt string (argon2id, scrypt, bcrypt)
  role                text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
  created_at          timestamptz NOT NULL DEFAULT now(),
  password_changed_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE refresh_tokens (
  id          bigserial PRIMARY KEY,
  user_id     bigint NOT NULL REFERENCES users ON DELETE CASCADE,
  family_id   uuid NOT NULL,                   -- every token rotated from one login shares it
  token_hash  text NOT NULL,                   -- a digest of the token, never the token
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,                     -- set when the token was rotated
  revoked_at  timestamptz                      -- set when its family was revoked
);

CREATE TABLE password_resets (
  id          bigserial PRIMARY KEY,
  user_id     bigint NOT NULL REFERENCES users ON DELETE CASCADE,
  token_hash  text NOT NULL,                   -- a digest of the token, never the token
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,            -- authoritative: the token is valid only before it
  used_at     timestamptz
);

CREATE TABLE outbox (
  id          bigserial PRIMARY KEY,
  recipient   text NOT NULL,
  template    text NOT NULL,                   -- 'password_reset'
  payload     jsonb NOT NULL,                  -- {"token": "<the reset token>"}
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE login_audit (
  id          bigserial PRIMARY KEY,
  user_id     bigint REFERENCES users ON DELETE SET NULL,  -- null when the email is unknown
  email       text NOT NULL,
  success     boolean NOT NULL,
  client_ip   text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE users OWNER TO app;
ALTER SEQUENCE users_id_seq OWNER TO app;
ALTER TABLE refresh_tokens OWNER TO app;
ALTER SEQUENCE refresh_tokens_id_seq OWNER TO app;
ALTER TABLE password_resets OWNER TO app;
ALTER SEQUENCE password_resets_id_seq OWNER TO app;
ALTER TABLE outbox OWNER TO app;
ALTER SEQUENCE outbox_id_seq OWNER TO app;
ALTER TABLE login_audit OWNER TO app;
ALTER SEQUENCE login_audit_id_seq OWNER TO app;

GRANT CREATE ON SCHEMA public TO app;
