"""Shared by the Python attack submissions: a /health-only service on $PORT, and ATTACK report lines."""

import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def report(label, value):
    sys.stdout.write("ATTACK %s %s\n" % (label, json.dumps(value)))
    sys.stdout.flush()


class _Health(BaseHTTPRequestHandler):
    def do_GET(self):
        ok = self.path == "/health"
        data = json.dumps({"status": "ok"} if ok else {"title": "not found"}).encode()
        self.send_response(200 if ok else 404)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_POST = do_GET

    def log_message(self, *args):
        pass


def serve_then(attack):
    """Serves /health; runs `attack` in a thread once the server listens."""
    server = ThreadingHTTPServer(("0.0.0.0", int(os.environ["PORT"])), _Health)
    threading.Thread(target=attack, daemon=True).start()
    server.serve_forever()
