#!/usr/bin/env python3
"""HTTP/1.1 on one connection at a time (stdlib only), like Go's http.Server behind
netutil.LimitListener(l, 1): the next connection is accepted only after the previous one closed, so
the others wait, handshake done, in the kernel's accept queue. Node cannot do this: it accepts at once.

  serial-http-server.py HOST PORT --backlog 2 [--accept-at EPOCH_S] [--max-s 120]

--accept-at: accept nothing before that wall-clock time (a stalled server). Prints "ready" once
listening and exits by itself after --max-s, so a lab that died leaves nothing running.
"""
import argparse, signal, socket, time

RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nHelloWorld!"

def serve(conn):
    """Answers every request on the connection until the client closes it."""
    pending = b""
    while True:
        data = conn.recv(4096)
        if not data:
            return
        pending += data
        while b"\r\n\r\n" in pending:
            _, pending = pending.split(b"\r\n\r\n", 1)
            conn.sendall(RESPONSE)

def main():
    p = argparse.ArgumentParser()
    p.add_argument("host")
    p.add_argument("port", type=int)
    p.add_argument("--backlog", type=int, required=True)
    p.add_argument("--accept-at", type=float, default=0.0)
    p.add_argument("--max-s", type=int, default=120)
    a = p.parse_args()
    signal.alarm(a.max_s)
    ls = socket.socket(socket.AF_INET6 if ":" in a.host else socket.AF_INET)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((a.host, a.port))
    ls.listen(a.backlog)
    print("ready", flush=True)
    time.sleep(max(0.0, a.accept_at - time.time()))
    while True:
        conn, _ = ls.accept()
        try:
            serve(conn)
        except ConnectionResetError:
            pass
        finally:
            conn.close()

main()
