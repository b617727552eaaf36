-- auth-service: deterministic seed. 100,000 users (none can log in: their hashes are of random secrets that
-- nobody knows) and 200,000 refresh tokens (digests of unknown tokens), so that a lookup without an index
-- reads a large table. Emails are distinct case-insensitively.

INSERT INTO users (email, password_hash, role, created_at, password_changed_at)
SELECT format('member%s@seed.example', g),
       '$argon2id$v=19$m=19456,t=2,p=1$' || substr(md5('salt' || g), 1, 22) || '$' || substr(md5('hash' || g) || md5('h2' || g), 1, 43),
       CASE WHEN g % 1000 = 0 THEN 'admin' ELSE 'user' END,
       timestamptz '2025-01-01' + g * interval '1 minute',
       timestamptz '2025-01-01' + g * interval '1 minute'
  FROM generate_series(1, 100000) AS g;

INSERT INTO refresh_tokens (user_id, family_id, token_hash, created_at, expires_at, used_at)
SELECT 1 + (g % 100000),
       md5('family' || (g / 2))::uuid,
       encode(sha256(convert_to('seed-refresh-' || g, 'UTF8')), 'hex'),
       timestamptz '2026-01-01' + g * interval '1 second',
       timestamptz '2026-01-31' + g * interval '1 second',
       CASE WHEN g % 2 = 0 THEN timestamptz '2026-01-02' END
  FROM generate_series(1, 200000) AS g;

ANALYZE;
