import os

from kit import report, serve_then

PLACES = ["/app/x", "/venv/x", "/venv/bin/python-evil", "/usr/lib/python3.11/os.py", "/etc/passwd", "/x", "/run/stackgrade/start-command"]


def attack():
    res = {}
    for p in PLACES:
        try:
            with open(p, "a") as f:
                f.write("pwned\n")
            res[p] = "written"
        except OSError as err:
            res[p] = err.strerror
    report("py-write-outside", res)


serve_then(attack)
