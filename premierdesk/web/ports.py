"""The address a server listens on: check a TCP port before serving on it, so a busy port gets
one clear sentence, and make links follow that address unless SITE_URL says otherwise."""

from __future__ import annotations

import errno
import os
import socket

from django.conf import settings

from premierdesk.lib.config import listening_site_url


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


def follow_listening_address(host: str, port: int) -> None:
    """Unless SITE_URL was set, make links (in e-mail, on pages) name the address this server
    listens on, here and in every process started from here (the worker, the scheduler)."""
    if settings.SITE_URL_FROM_ENVIRONMENT:
        return
    settings.SITE_URL = listening_site_url(host, port)
    os.environ["SITE_URL"] = settings.SITE_URL
