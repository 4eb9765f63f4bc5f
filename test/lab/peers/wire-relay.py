#!/usr/bin/env python3
"""A userspace wire (stdlib only): this lab's kernel has neither netem nor the 8021q module, so delay
and 802.1Q tagging are done here, on raw frames between interfaces of the wire namespace.

  wire-relay.py --delay-ms 20 c s          c <-> s, each frame held 20 ms
  wire-relay.py --vlan 7 c s ta tb         c -> tag -> ta ~ tb -> untag -> s, and back (ta, tb: one veth pair)
Prints "ready" once every socket is bound; exits by itself after --max-s.
"""
import argparse, heapq, select, signal, socket, struct, time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4  # our own transmissions, seen again on the same socket
TPID = 0x8100

args = argparse.ArgumentParser()
args.add_argument("--delay-ms", type=float, default=0.0)
args.add_argument("--vlan", type=int)
args.add_argument("--max-s", type=int, default=120)
args.add_argument("ifaces", nargs="+")
opt = args.parse_args()
signal.alarm(opt.max_s)

def bind(name):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((name, 0))
    return s

socks = {name: bind(name) for name in opt.ifaces}
if opt.vlan is None:
    a, b = opt.ifaces
    route = {a: (b, None), b: (a, None)}
else:
    a, b, ta, tb = opt.ifaces
    # The frame enters the trunk tagged at one end and leaves it at the other, untagged.
    route = {a: (ta, opt.vlan), b: (tb, opt.vlan), ta: (a, None), tb: (b, None)}

def tag(frame, vid):
    return frame[:12] + struct.pack("!HH", TPID, vid) + frame[12:]

def untag(frame):
    return frame[:12] + frame[16:] if frame[12:14] == struct.pack("!H", TPID) else frame

queue = []  # (due, order, out, frame): a heap keeps arrival order for equal delays
order = 0
by_fd = {s.fileno(): name for name, s in socks.items()}
print("ready", flush=True)
while True:
    timeout = max(0.0, queue[0][0] - time.monotonic()) if queue else None
    ready, _, _ = select.select(list(socks.values()), [], [], timeout)
    for s in ready:
        frame, addr = s.recvfrom(65535)
        if addr[2] == PACKET_OUTGOING:
            continue
        out, vid = route[by_fd[s.fileno()]]
        frame = tag(frame, vid) if vid is not None else untag(frame)
        # Only the first hop of a trunked path waits; the trunk hop itself is immediate.
        delay = opt.delay_ms / 1000 if vid is not None or opt.vlan is None else 0.0
        heapq.heappush(queue, (time.monotonic() + delay, order, out, frame))
        order += 1
    now = time.monotonic()
    while queue and queue[0][0] <= now:
        _, _, out, frame = heapq.heappop(queue)
        socks[out].send(frame)
