"""Prints how much the resident memory of processes PID... (with their children) grows while N keep-alive connections
to HOST:PORT, each with one request answered, sit idle; then closes them.
usage: idle_connections.py HOST PORT N PID...   -> "<kB before> <kB with the idle connections>"
"""
import os, socket, sys, time

host, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
roots = [int(p) for p in sys.argv[4:]]


def tree(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            children = [int(c) for c in f.read().split()]
    except OSError:
        children = []
    return [pid] + [p for c in children for p in tree(c)]


def rss_kb():
    total = 0
    for pid in {p for r in roots for p in tree(r)}:
        with open(f"/proc/{pid}/status") as f:
            total += next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    return total


before = rss_kb()
request = f"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: keep-alive\r\n\r\n".encode()
sockets = []
for _ in range(count):
    s = socket.create_connection((host, port))
    s.settimeout(30)
    s.sendall(request)
    sockets.append(s)
for s in sockets:
    answer = b""
    while b"\r\n\r\n" not in answer:
        chunk = s.recv(4096)
        if not chunk:
            sys.exit("a connection closed before its answer")
        answer += chunk
time.sleep(2)  # let the proxy settle into its idle state before reading
print(before, rss_kb())
for s in sockets:
    s.close()
