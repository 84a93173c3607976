"""A real SMTP server for tests: aiosmtpd on 127.0.0.1, recording every message it accepts.

``SmtpServer`` listens on a free port in a background thread; ``stop()`` and ``start()`` take it
down and bring it back on the same port, so a test can show a mail server being unreachable.
``django_settings()`` gives the overrides that make Django's SMTP backend send to it.
"""

from __future__ import annotations

import asyncio
import email
import socket
import threading
import time
from dataclasses import dataclass
from email.message import Message

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Received:
    """One message as the server accepted it: the SMTP envelope and the parsed content."""

    mail_from: str
    rcpt_tos: list[str]
    message: Message


class RecordingHandler:
    """Accepts every message and keeps it. With ``holding`` on, the server keeps the message
    but delays its "250 accepted" reply until ``released`` is set (at most ``hold_timeout``
    seconds), which gives a test a moment in which the message has arrived but the sender
    does not know it yet. ``delay`` slows every reply down, so concurrent senders overlap."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.arrived = threading.Event()
        self.holding = False
        self.released = threading.Event()
        self.hold_timeout = 30.0
        self.delay = 0.0
        self._lock = threading.Lock()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        received = Received(
            mail_from=envelope.mail_from or "",
            rcpt_tos=list(envelope.rcpt_tos),
            message=email.message_from_bytes(content),
        )
        with self._lock:
            self.received.append(received)
        self.arrived.set()
        if self.delay:
            await asyncio.sleep(self.delay)
        deadline = time.monotonic() + self.hold_timeout  # time-machine leaves monotonic alone
        while self.holding and not self.released.is_set() and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


class SmtpServer:
    def __init__(self) -> None:
        self.handler = RecordingHandler()
        self.port = free_port()
        self._controller: Controller | None = None

    def start(self) -> None:
        # A fresh controller each time: a stopped one has closed its event loop.
        controller = Controller(
            self.handler,
            hostname=HOST,
            port=self.port,
            server_hostname="localhost",  # skip socket.getfqdn(), slow without DNS
            ready_timeout=10.0,
        )
        controller.start()
        self._controller = controller

    def stop(self) -> None:
        if self._controller is not None:
            self.handler.released.set()  # never leave a held reply waiting on shutdown
            self._controller.stop()
            self._controller = None

    @property
    def received(self) -> list[Received]:
        return list(self.handler.received)

    def message_ids(self) -> list[str]:
        return [r.message["Message-ID"] for r in self.received]

    def django_settings(self) -> dict[str, object]:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": HOST,
            "EMAIL_PORT": self.port,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_TIMEOUT": 5,
        }


def started_smtp_server(attempts: int = 5) -> SmtpServer:
    """A running server; tries another free port if one was taken between probe and bind."""
    for attempt in range(attempts):
        server = SmtpServer()
        try:
            server.start()
        except OSError:
            if attempt == attempts - 1:
                raise
        else:
            return server
    raise AssertionError("unreachable")
