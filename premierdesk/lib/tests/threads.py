"""Running work "at the same moment" in tests: each callable in its own thread (and so its own
database connection), released together by a barrier."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection

from premierdesk.lib.errors import ActionError


def run_at_once(*work: Callable[[], object]) -> list[str]:
    """Each outcome, sorted: "done", or "refused: <the refusal's sentence>"."""
    barrier = threading.Barrier(len(work))
    outcomes: list[str] = []

    def run(job: Callable[[], object]) -> None:
        try:
            barrier.wait()
            job()
            outcomes.append("done")
        except ActionError as refusal:
            outcomes.append(f"refused: {refusal.detail}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)
