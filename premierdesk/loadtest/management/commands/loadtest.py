"""premierdesk loadtest: Locust, headless, with the JSM toolkit's mix against a running server
(or, with --scale-out, against two servers, two workers and two schedulers it starts on one
PostgreSQL), then the report: per action and per step of the ramp, the chart, the highest
rate sustained, and after a scale-out run the exactly-once check."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from argparse import ArgumentParser
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

import premierdesk
from premierdesk.loadtest import exactly_once, report, results
from premierdesk.loadtest.fleet import Fleet, FleetError
from premierdesk.loadtest.mix import RATES
from premierdesk.notifications.models import DeliveryStatus, OutboxMessage

LOCUSTFILE = Path(__file__).resolve().parents[2] / "locustfile.py"
DRAIN_POLL_SECONDS = 2.0


def _require_answering(host: str) -> None:
    try:
        with urllib.request.urlopen(f"{host}/health", timeout=10) as answer:  # noqa: S310
            if answer.status == 200:
                return
    except OSError as exc:
        raise CommandError(f"No Premier Desk answers at {host}: {exc}. Start it first.") from exc
    raise CommandError(f"{host}/health did not answer 200.")


class Command(BaseCommand):
    help = "Load-test a running Premier Desk with Locust and the JSM toolkit's mix."

    def add_arguments(self, parser: ArgumentParser) -> None:
        port = os.environ.get("PORT", "8000")
        parser.add_argument("--host", default=f"http://127.0.0.1:{port}", help="The server.")
        parser.add_argument(
            "--rates",
            default=",".join(str(rate) for rate in RATES),
            help="The ramp's steps, actions an hour, comma-separated.",
        )
        parser.add_argument("--step-seconds", type=float, default=90.0)
        parser.add_argument(
            "--settle-seconds", type=float, default=10.0, help="Left out at each step's start."
        )
        parser.add_argument("--warm-up-seconds", type=float, default=-1.0, help="-1: enough.")
        parser.add_argument("--sign-in-rate", type=float, default=5.0, help="People a second.")
        parser.add_argument("--agents", type=int, default=-1, help="-1: all in the data.")
        parser.add_argument("--customers", type=int, default=-1, help="-1: all in the data.")
        parser.add_argument("--out", type=Path, help="Folder for the report (var/loadtest/…).")
        parser.add_argument("--chart", type=Path, help="Copy the chart here too (docs/…).")
        parser.add_argument(
            "--scale-out",
            action="store_true",
            help="Start two servers, two workers and two schedulers and test those.",
        )
        parser.add_argument("--port", type=int, default=8100, help="Scale-out: first port.")
        parser.add_argument(
            "--drain-seconds",
            type=float,
            default=120.0,
            help="Scale-out: at most this long for the outbox and the job queue to empty.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if importlib.util.find_spec("locust") is None:
            raise CommandError("Locust is not installed: pip install -e '.[dev]'.")
        manifest = settings.VAR_DIR / "bench-data.json"
        if not manifest.exists():
            raise CommandError(f"No {manifest}: build the people first (premierdesk bench-data).")
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        out: Path = options["out"] or settings.VAR_DIR / "loadtest" / stamp
        out.mkdir(parents=True, exist_ok=True)
        began = timezone.now()
        fleet = self._fleet(out, options) if options["scale_out"] else None
        hosts = fleet.hosts if fleet else [options["host"].rstrip("/")]
        if not fleet:
            _require_answering(hosts[0])
        try:
            self.stdout.write(f"Locust against {', '.join(hosts)}; report in {out}/")
            self._locust(hosts, out, manifest, options)
            if fleet:
                self._drain(fleet, options["drain_seconds"])
        finally:
            if fleet:
                fleet.stop()
        self._report(out, options["chart"], manifest)
        if fleet:
            self._check_exactly_once(began, fleet)

    def _fleet(self, out: Path, options: dict[str, Any]) -> Fleet:
        if connection.vendor != "postgresql":
            raise CommandError(
                "--scale-out runs several servers on one PostgreSQL: set DATABASE_URL=postgres://…"
            )
        fleet = Fleet(out, options["port"])
        self.stdout.write("Starting two servers, two workers and two schedulers…")
        try:
            fleet.start()
        except FleetError as exc:
            fleet.stop()
            raise CommandError(str(exc)) from exc
        return fleet

    def _locust(self, hosts: list[str], out: Path, manifest: Path, options: dict[str, Any]) -> None:
        command = [
            sys.executable,
            "-m",
            "locust",
            "--locustfile",
            str(LOCUSTFILE),
            "--headless",
            "--only-summary",
            "--host",
            hosts[0],
            "--hosts",
            ",".join(hosts),
            "--bench-data",
            str(manifest),
            "--rates",
            options["rates"],
            "--step-seconds",
            str(options["step_seconds"]),
            "--settle-seconds",
            str(options["settle_seconds"]),
            "--warm-up-seconds",
            str(options["warm_up_seconds"]),
            "--sign-in-rate",
            str(options["sign_in_rate"]),
            "--agents",
            str(options["agents"]),
            "--customers",
            str(options["customers"]),
            "--samples-out",
            str(out / "samples.json"),
            "--html",
            str(out / "report.html"),
            "--csv",
            str(out / "locust"),
            "--loglevel",
            "WARNING",
        ]
        # The locustfile imports the pure modules beside it, from this same tree.
        tree = str(Path(premierdesk.__file__).resolve().parents[1])
        path = os.pathsep.join(p for p in [tree, os.environ.get("PYTHONPATH", "")] if p)
        env = {**os.environ, "PYTHONPATH": path}
        with (out / "locust.log").open("wb") as log:
            # Locust exits 1 when any request failed; the report says which and why.
            subprocess.run(command, env=env, stdout=log, stderr=subprocess.STDOUT, check=False)  # noqa: S603
        if not (out / "samples.json").exists():
            tail = (out / "locust.log").read_text(errors="replace")[-3000:]
            raise CommandError(f"Locust wrote no samples; its output ends:\n{tail}")

    def _drain(self, fleet: Fleet, seconds: float) -> None:
        """Let the workers finish what the run queued before the processes stop."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            fleet.check_alive()
            due = OutboxMessage.objects.filter(
                status=DeliveryStatus.PENDING, next_attempt_at__lte=timezone.now()
            )
            if not due.exists() and not DBTaskResult.objects.ready().exists():
                return
            time.sleep(DRAIN_POLL_SECONDS)
        self.stdout.write(self.style.WARNING(f"The queue was not empty after {seconds:.0f} s."))

    def _report(self, out: Path, chart_copy: Path | None, manifest: Path) -> None:
        result = results.read(json.loads((out / "samples.json").read_text()))
        tickets = json.loads(manifest.read_text()).get("tickets", "?")
        self.stdout.write("\n".join(report.lines(result)))
        (out / "summary.json").write_text(json.dumps(report.summary(result), indent=2))
        when = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
        title = (
            f"Premier Desk, JSM toolkit mix: {result.agents} agents, {result.customers} "
            f"customers, {tickets:,} tickets ({connection.vendor}, {len(result.hosts)} server"
            f"{'s' if len(result.hosts) > 1 else ''}), {when}"
            if isinstance(tickets, int)
            else f"Premier Desk, JSM toolkit mix, {when}"
        )
        report.chart(result, out / "latency.png", title)
        if chart_copy:
            shutil.copyfile(out / "latency.png", chart_copy)
        self.stdout.write(f"\nHTML report: {out / 'report.html'}\nChart: {out / 'latency.png'}")

    def _check_exactly_once(self, began: datetime, fleet: Fleet) -> None:
        found = exactly_once.checks(since=began, mail_dir=fleet.mail_dir)
        self.stdout.write("\nExactly once, since the run began (how many, verdict, what):")
        self.stdout.write("\n".join(exactly_once.lines(found)))
        if all(check.passed for check in found):
            self.stdout.write(self.style.SUCCESS("Every one happened exactly once."))
        else:
            raise CommandError("Something happened twice (above).")
