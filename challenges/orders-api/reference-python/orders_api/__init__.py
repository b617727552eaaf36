"""Reference solution of the orders-api challenge in Python (FastAPI, psycopg 3)."""
