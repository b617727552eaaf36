"""Reference solution of the auth-service challenge in Python (Starlette, psycopg 3, redis-py, argon2-cffi,
PyJWT)."""
