"""The open queue's first page through `premierdesk serve` on a `premierdesk bench-data`
dataset (not a fresh database): the first agent of its manifest gets an API token, and
``bench.tickets.queue`` reads the page three times, each beside its ``/auth/me`` baseline.

    PREMIERDESK_VAR_DIR=<dataset folder> [DATABASE_URL=…] PYTHONPATH=$PWD \\
        .venv/bin/python -m bench.queue_on_dataset

On PostgreSQL, DATABASE_PREPARE_THRESHOLD=off gives the figures without prepared statements.
"""

from __future__ import annotations

import json
import os
from pathlib import Path


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "premierdesk.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,testserver")
    import django

    django.setup()
    from bench import tickets
    from premierdesk.accounts.actions import create_api_token
    from premierdesk.accounts.models import User

    manifest = Path(os.environ["PREMIERDESK_VAR_DIR"]) / "bench-data.json"
    agent = User.objects.get(email=json.loads(manifest.read_text())["agents"][0])
    cast = tickets.Cast(
        sen="", contact_token="", engineer_token=create_api_token(agent, "bench")[1]
    )
    with tickets._server() as port:
        for _ in range(3):
            tickets.queue(port, cast)


if __name__ == "__main__":
    main()
