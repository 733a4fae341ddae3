"""The replicas' names for the local run: a minimal DNS server on a loopback UDP port.

deploy/haproxy.cfg finds its replicas by DNS (`server-template` + `resolvers`), so that one file
serves both runs. Under `docker compose`, Docker's own DNS answers: the service name `app`
resolves to one address per replica, all on port 8501. The local run (deploy/local.sh) has N
replicas on one address and N ports, which is what DNS SRV records describe; this server answers
them, and nothing else:

    SRV  <service>                 -> priority 0, weight 1, port P_i, target replica<i>.<zone>
    A    replica<i>.<zone>         -> 127.0.0.1 (also sent as additional records with the SRV)
    anything else                  -> NXDOMAIN (AAAA of a known name: no records)

    python deploy/replica_dns.py --listen 127.0.0.1:8080 --service _streamlit._tcp.replicas.local \\
                         --ports 8081 8082

It binds to a loopback address only, reads nothing from the network but queries, and stops on
SIGTERM or Ctrl-C. Standard library only.
"""
from __future__ import annotations

import argparse
import signal
import socket
import struct
import sys

A, AAAA, SRV = 1, 28, 33
IN = 1
TTL = 5  # s; HAProxy asks again every `timeout resolve` anyway


def encode_name(name: str) -> bytes:
    out = b""
    for label in name.strip(".").split("."):
        raw = label.encode("ascii")
        out += bytes([len(raw)]) + raw
    return out + b"\0"


def read_question(packet: bytes) -> tuple[str, int, int, int]:
    """(name, qtype, qclass, offset after the question) of a query's first question."""
    labels, i = [], 12
    while True:
        n = packet[i]
        if n == 0:
            i += 1
            break
        if n & 0xC0:  # a compression pointer has no place in a query's first name
            raise ValueError("compressed name in query")
        labels.append(packet[i + 1:i + 1 + n].decode("ascii", "replace").lower())
        i += 1 + n
    qtype, qclass = struct.unpack("!HH", packet[i:i + 4])
    return ".".join(labels), qtype, qclass, i + 4


def record(name: str, rtype: int, rdata: bytes) -> bytes:
    return encode_name(name) + struct.pack("!HHIH", rtype, IN, TTL, len(rdata)) + rdata


class Zone:
    def __init__(self, service: str, ports: list[int], address: str = "127.0.0.1"):
        self.service = service.strip(".").lower()
        self.zone = self.service.split("._tcp.", 1)[-1]
        self.address = socket.inet_aton(address)
        self.targets = {f"replica{i}.{self.zone}": port for i, port in enumerate(ports, 1)}

    def answer(self, packet: bytes) -> bytes | None:
        if len(packet) < 12:
            return None
        ident, flags, qdcount = struct.unpack("!HHH", packet[:6])
        if flags & 0x8000 or qdcount < 1:  # a response, or no question: ignore
            return None
        try:
            name, qtype, qclass, end = read_question(packet)
        except (IndexError, ValueError, struct.error):
            return struct.pack("!HHHHHH", ident, 0x8000 | 0x0400 | 1, 0, 0, 0, 0)  # FORMERR
        answers, extra, rcode = [], [], 0
        if name == self.service:
            if qtype == SRV:
                for target, port in self.targets.items():
                    answers.append(record(name, SRV, struct.pack("!HHH", 0, 1, port) + encode_name(target)))
                    extra.append(record(target, A, self.address))
        elif name in self.targets:
            if qtype == A:
                answers.append(record(name, A, self.address))
        else:
            rcode = 3  # NXDOMAIN
        rd = flags & 0x0100
        header = struct.pack("!HHHHHH", ident, 0x8000 | 0x0400 | rd | rcode, 1,
                             len(answers), 0, len(extra))
        return header + packet[12:end] + b"".join(answers) + b"".join(extra)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--listen", required=True, help="loopback address:port to answer on (UDP)")
    ap.add_argument("--service", required=True, help="the SRV name, e.g. _streamlit._tcp.replicas.local")
    ap.add_argument("--ports", type=int, nargs="+", required=True, help="one port per replica")
    args = ap.parse_args(argv)
    host, _, port = args.listen.rpartition(":")
    if not host.startswith("127."):
        ap.error("--listen must be a loopback address (127.0.0.0/8)")
    zone = Zone(args.service, args.ports)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((host, int(port)))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while True:
            packet, peer = sock.recvfrom(4096)
            reply = zone.answer(packet)
            if reply is not None:
                sock.sendto(reply, peer)
    except KeyboardInterrupt:
        return 0
    finally:
        sock.close()


if __name__ == "__main__":
    sys.exit(main())
