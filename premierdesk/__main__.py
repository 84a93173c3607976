"""The ``premierdesk`` command: every Django management command plus serve, worker,
scheduler, up and demo."""

from __future__ import annotations

import os
import re
import sys

NO_TABLES = (
    "The database has no tables yet: run `premierdesk migrate` first "
    "(or `premierdesk up`, which also loads demo data)."
)
# SQLite says "no such table: x"; PostgreSQL 'relation "x" does not exist' (undefined table).
_MISSING_TABLE = re.compile(r"no such table|relation .* does not exist", re.IGNORECASE)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "premierdesk.settings")
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError, ProgrammingError

    try:
        execute_from_command_line(["premierdesk", *sys.argv[1:]])
    except (OperationalError, ProgrammingError) as exc:
        # Any command on a database nobody migrated yet: one line saying what to do, not a
        # traceback. Other database errors are real faults and keep their traceback.
        if not _MISSING_TABLE.search(str(exc)):
            raise
        sys.stderr.write(NO_TABLES + "\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
