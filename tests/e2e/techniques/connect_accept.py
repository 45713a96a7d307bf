#!/usr/bin/python3
"""connect_accept.py MARKER: one outbound connect and one accepted connection.

Listens on 127.0.0.1 at the first free port of PORTS (the ports the e2e test's
network rules name), connects to it without blocking (the call returns
EINPROGRESS, as a client's or a reverse shell's does) and accepts the
connection. Prints "port=P connect_errno=E peer=IP:PORT". Exit 3 when no port
is free. MARKER is only there to appear in the process's arguments.
"""
import errno
import select
import socket
import sys

PORTS = (4444, 4445, 1337, 31337)


def listen():
    for port in PORTS:
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        # the previous run's connection may still be in TIME_WAIT on the port
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            server.bind(("127.0.0.1", port))
            server.listen(1)
            return server, port
        except OSError:
            server.close()
    sys.exit(3)


def main():
    server, port = listen()
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    client.setblocking(False)
    connect_errno = client.connect_ex(("127.0.0.1", port))
    if connect_errno not in (0, errno.EINPROGRESS):
        sys.exit(f"connect to port {port}: {errno.errorcode.get(connect_errno, connect_errno)}")
    select.select([], [client], [], 5)
    conn, peer = server.accept()
    print(f"port={port} connect_errno={connect_errno} peer={peer[0]}:{peer[1]}")
    conn.close()
    client.close()
    server.close()


main()
