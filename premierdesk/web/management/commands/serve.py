"""premierdesk serve: the production web server (gunicorn) for Premier Desk."""

from __future__ import annotations

import logging
import os
import sys
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from gunicorn.app.base import BaseApplication
from gunicorn.config import Config
from gunicorn.glogging import Logger

from premierdesk.web.ports import follow_listening_address, port_problem


# gunicorn ships no type hints, so its classes are Any to mypy.
class GunicornApplication(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from premierdesk.wsgi import application

        return application


class WarningsToTerminalLogger(Logger):  # type: ignore[misc]  # gunicorn: no type hints
    """gunicorn's logger when its log goes to a file (PREMIERDESK_LOG_FILE): warnings and errors
    are written to the terminal as well, so a fault is seen where the service was started."""

    def setup(self, cfg: Config) -> None:
        super().setup(cfg)  # drops the handlers marked _gunicorn, so a reload adds one again
        terminal = logging.StreamHandler(sys.stderr)
        terminal.setLevel(logging.WARNING)
        terminal.setFormatter(logging.Formatter(self.error_fmt, self.datefmt))
        terminal._gunicorn = True  # type: ignore[attr-defined]
        self.error_log.addHandler(terminal)


class Command(BaseCommand):
    help = "Serve the web pages and the API with gunicorn."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2"))
        )

    def handle(self, *args: Any, host: str, port: int, workers: int, **options: Any) -> None:
        problem = port_problem(host, port)
        if problem:
            raise CommandError(problem)
        follow_listening_address(host, port)
        log_to = settings.LOG_FILE or "-"  # "-": requests to stdout, the rest to stderr
        GunicornApplication(
            {
                "bind": f"{host}:{port}",
                "workers": workers,
                "threads": 4,
                "worker_class": "gthread",
                "accesslog": log_to,
                "errorlog": log_to,
                "logger_class": WarningsToTerminalLogger if settings.LOG_FILE else Logger,
                "timeout": 120,
                "graceful_timeout": 5,
                # gunicorn's control socket lives in $HOME by default, where a second server
                # (tests beside `make run`) would fight over it; we do not use it.
                "control_socket_disable": True,
            }
        ).run()
