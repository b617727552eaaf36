import time

from kit import report, serve_then


def attack():
    time.sleep(1)
    hoard = []
    report("py-memory-bomb", {"start": True})
    while True:
        hoard.append(bytearray(16 * 1024 * 1024))


serve_then(attack)
