import time

from kit import report, serve_then


def attack():
    time.sleep(0.3)
    hoard = []
    report("py-memory-bomb", {"start": True})
    while True:
        # Written, not only reserved: a zeroed bytearray's pages would stay untouched.
        hoard.append(b"\x01" * (16 * 1024 * 1024))


serve_then(attack)
