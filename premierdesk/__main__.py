"""The ``premierdesk`` command: every Django management command plus serve, worker,
scheduler, up and demo."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "premierdesk.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["premierdesk", *sys.argv[1:]])


if __name__ == "__main__":
    main()
