#!/usr/bin/env python3
"""Plays four short TCP endings on loopback while tcpdump records them (stdlib only).

  python3 captures/recipes/lo-teardown-mix.py captures/lo-teardown-mix.pcap

1. port 18081: prompt normal close (client FIN, server FIN within a millisecond)
2. port 18082: the server leaves the connection half-closed (CLOSE_WAIT) for 1.5 s, then closes (late FIN)
3. port 18083: the client aborts with SO_LINGER 0 (RST instead of FIN)
4. port 18084: nobody listens: the SYN is answered by RST (connection refused)
"""
import socket, struct, subprocess, sys, threading, time

out = sys.argv[1]
dump = subprocess.Popen(["tcpdump", "-i", "lo", "-w", out, "-U", "tcp portrange 18081-18084"],
                        stderr=subprocess.DEVNULL)
time.sleep(1.0)

def serve(port, hold_s):
    ls = socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", port)); ls.listen(8)
    def run():
        c, _ = ls.accept()
        c.recv(100); c.sendall(b"pong\n")
        try:
            while c.recv(100):
                pass
        except ConnectionResetError:  # the client of port 18083 aborts on purpose
            pass
        time.sleep(hold_s)
        c.close(); ls.close()
    t = threading.Thread(target=run); t.start(); return t

for port, hold in ((18081, 0), (18082, 1.5)):
    t = serve(port, hold)
    s = socket.create_connection(("127.0.0.1", port)); s.sendall(b"ping\n"); s.recv(100)
    s.shutdown(socket.SHUT_WR); time.sleep(0.05); s.close(); t.join()
    time.sleep(0.1)

t = serve(18083, 0)
s = socket.create_connection(("127.0.0.1", 18083)); s.sendall(b"ping\n"); s.recv(100)
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)); s.close(); t.join()
time.sleep(0.1)
try:
    socket.create_connection(("127.0.0.1", 18084), timeout=1)
except OSError:
    pass
time.sleep(0.5)
dump.terminate(); dump.wait()
