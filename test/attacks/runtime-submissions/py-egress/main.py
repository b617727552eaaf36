import socket

from kit import report, serve_then

TARGETS = [("1.1.1.1", 80), ("8.8.8.8", 443), ("172.17.0.1", 6379), ("172.17.0.1", 2375)]


def attack():
    res = {}
    for host, port in TARGETS:
        try:
            socket.create_connection((host, port), timeout=2).close()
            res["tcp %s:%d" % (host, port)] = "connected"
        except OSError as err:
            res["tcp %s:%d" % (host, port)] = "refused: %s" % err
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(2)
        s.sendto(b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x07example\x03com\x00\x00\x01\x00\x01", ("8.8.8.8", 53))
        s.recvfrom(512)
        res["udp dns 8.8.8.8"] = "answer"
    except OSError as err:
        res["udp dns 8.8.8.8"] = "none: %s" % err
    try:
        res["resolve pypi.org"] = "answer %s" % socket.gethostbyname("pypi.org")
    except OSError as err:
        res["resolve pypi.org"] = "none: %s" % err
    report("py-egress", res)


serve_then(attack)
