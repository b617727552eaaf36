"""Starter of catalog-search: connects to MongoDB ($MONGODB_URL) and Redis ($REDIS_URL) and answers
GET /health. Every other route answers 501 Not Implemented; README.md is the contract to implement."""
import json
import os
import signal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import redis
from pymongo import MongoClient

mongo = MongoClient(os.environ["MONGODB_URL"])
db = mongo.get_default_database()  # the database `shop` of the URL
cache = redis.Redis.from_url(os.environ["REDIS_URL"])
# TODO: the collections are db["products"], db["reviews"] and db["api_keys"].


class Handler(BaseHTTPRequestHandler):
    def send_json(self, status, body, content_type="application/json"):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self):
        path = urlsplit(self.path).path
        if self.command == "GET" and path == "/health":
            return self.send_json(200, {"status": "ok"})
        # TODO: GET /products, GET /products/facets, GET and PATCH /products/:id,
        # GET /categories/:category/top-rated.
        self.send_json(
            501,
            {"type": "about:blank", "title": "Not Implemented", "status": 501},
            "application/problem+json",
        )

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = handle_any

    def log_message(self, *args):
        pass


def main():
    db.command("ping")
    server = ThreadingHTTPServer(("0.0.0.0", int(os.environ["PORT"])), Handler)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    server.serve_forever()


if __name__ == "__main__":
    main()
