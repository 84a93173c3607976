"""Run every benchmark against a fresh SQLite database (or DATABASE_URL when set).

Each line reads: name, size, milliseconds, the baseline's milliseconds, and their ratio. The
baseline is the simplest version of the same work, run in the same process, so the ratio
means the same on a fast laptop and a slow CI machine.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def _prepare_django() -> None:
    var_dir = Path(tempfile.mkdtemp(prefix="premierdesk-bench-"))
    os.environ["PREMIERDESK_VAR_DIR"] = str(var_dir)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{var_dir / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "premierdesk.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(work: Callable[[], object]) -> float:
    """Milliseconds one call of ``work`` takes (best of three, to dampen noise)."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        work()
        best = min(best, (time.perf_counter() - start) * 1000)
    return best


def report(name: str, size: str, ms: float, baseline_ms: float, extra: str = "") -> None:
    ratio = ms / baseline_ms if baseline_ms else float("nan")
    line = f"{name} {size} ms={ms:.1f} baseline_ms={baseline_ms:.1f} ratio={ratio:.2f}"
    print(f"{line} {extra}".rstrip())


def main() -> int:
    _prepare_django()
    from bench import customers, foundation, offices, reports, sla, tickets

    # SLA last: its recompute scans every open ticket the ticket benchmarks left.
    groups = {
        "foundation": foundation,
        "customers": customers,
        "tickets": tickets,
        "offices": offices,
        "reports": reports,
        "sla": sla,
    }
    # BENCH_ONLY=tickets,sla runs some groups only (for a quick look at one area).
    chosen = os.environ.get("BENCH_ONLY", "").split(",") if os.environ.get("BENCH_ONLY") else groups
    for name, group in groups.items():
        if name in chosen:
            for benchmark in group.BENCHMARKS:
                benchmark(timed, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
