#!/usr/bin/env python3
"""The server half of the teardown modes (teardown-modes.ts), stdlib only: it must leave bytes unread in
the kernel (unread-close, zero-window), which Node cannot, since it reads ahead into its own buffer.

  teardown-server.py --port 8881 --listen 198.18.0.1[,2001:db8::1] [--max-s 120]

Each connection's first line is "mode arg"; one thread per connection plays the server's half.
Prints "ready" once listening; exits by itself after --max-s.
"""
import argparse, signal, socket, threading, time

held = []  # leak: never closed while the process lives

def read_line(conn):
    """Reads exactly the first line, byte by byte, so nothing after it leaves the kernel's buffer."""
    line = b""
    while not line.endswith(b"\n"):
        byte = conn.recv(1)
        if not byte:
            break
        line += byte
    return line.decode().split()

def drain(conn):
    """Reads until the peer's FIN (or its RST)."""
    try:
        while conn.recv(4096):
            pass
    except ConnectionResetError:
        pass

def play(conn):
    mode, arg = (read_line(conn) + ["", "0"])[:2]
    arg = float(arg)
    if mode != "half-close":
        conn.sendall(b"ok\n")
    if mode in ("client-closes", "linger0"):
        drain(conn)
    elif mode == "server-closes":
        conn.shutdown(socket.SHUT_WR)
        drain(conn)
    elif mode == "simultaneous":
        time.sleep(max(0.0, arg / 1000 - time.time()))
        conn.shutdown(socket.SHUT_WR)
        drain(conn)
    elif mode == "half-close":
        drain(conn)
        for part in (1, 2, 3):
            conn.sendall(b"part %d\n" % part)
            if part < 3:
                time.sleep(0.1)
    elif mode == "leak":
        drain(conn)
        held.append(conn)
        return
    elif mode == "unread-close":
        time.sleep(arg / 1000)  # the client's data stays unread: close() sends RST
    elif mode == "zero-window":
        time.sleep(arg / 1000)  # not reading: the receive buffer fills, the window closes
        drain(conn)
    conn.close()

def serve(ls):
    while True:
        conn, _ = ls.accept()
        threading.Thread(target=play, args=(conn,), daemon=True).start()

def main():
    p = argparse.ArgumentParser()
    p.add_argument("--listen", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--max-s", type=int, default=120)
    a = p.parse_args()
    signal.alarm(a.max_s)
    for host in a.listen.split(","):
        ls = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind((host, a.port))
        ls.listen(64)
        threading.Thread(target=serve, args=(ls,), daemon=True).start()
    print("ready", flush=True)
    threading.Event().wait()

main()
