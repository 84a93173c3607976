"""Check a TCP port before serving on it, so a busy port gets one clear sentence."""

from __future__ import annotations

import errno
import socket


def port_problem(host: str, port: int) -> str | None:
    """None when ``host:port`` can be bound; otherwise what is wrong and what to do."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return (
                    f"Port {port} on {host} is already in use (another Premier Desk or another "
                    f"program). Stop it, or choose another port: PORT={port + 1} make run"
                )
            if exc.errno == errno.EACCES:
                return f"Not allowed to listen on port {port}; use a port above 1024."
            return f"Cannot listen on {host}:{port}: {exc.strerror}."
    return None
