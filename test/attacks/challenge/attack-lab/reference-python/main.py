"""Reference of attack-lab in Python: the standard library's HTTP server and psycopg 3 with a pool,
one statement per request (the same behaviour as reference/server.js)."""

import json
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from psycopg_pool import ConnectionPool

pool = ConnectionPool(os.environ["DATABASE_URL"], min_size=1, max_size=4, open=True)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def send(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == "/health":
            return self.send(200, {"status": "ok"})
        if self.path == "/notes":
            with pool.connection() as conn:
                rows = conn.execute("SELECT id, body FROM notes ORDER BY id").fetchall()
            return self.send(200, [{"id": r[0], "body": r[1]} for r in rows])
        self.send(404, {"title": "not found"})

    def do_POST(self):
        if self.path != "/notes":
            return self.send(404, {"title": "not found"})
        length = int(self.headers.get("content-length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"null")
        except ValueError:
            body = None
        if not isinstance(body, dict) or not isinstance(body.get("body"), str):
            return self.send(422, {"title": "body is required"})
        with pool.connection() as conn:
            row = conn.execute(
                "INSERT INTO notes (body) VALUES (%s) RETURNING id, body", (body["body"],)
            ).fetchone()
        self.send(201, {"id": row[0], "body": row[1]})


ThreadingHTTPServer(("0.0.0.0", int(os.environ.get("PORT", "8080"))), Handler).serve_forever()
