"""premierdesk bench-data: build the dataset of the load test and the benchmarks, resumably."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from premierdesk.benchdata import load
from premierdesk.benchdata.models import BenchLoad


class Command(BaseCommand):
    help = (
        "Build a dataset of the JSM Data Center toolkit's size (1,000,000 tickets, 2,000,000 "
        "comments, 300 organizations, 21,000 people) in batches; run it again to continue "
        "an interrupted build or to grow it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tickets", type=int, default=1_000_000, help="Tickets in all.")
        parser.add_argument("--batch-size", type=int, default=load.BATCH_SIZE)
        parser.add_argument("--seed", type=int, default=load.SEED)
        parser.add_argument(
            "--batches", type=int, default=None, help="Add at most this many batches now."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["tickets"] < 0 or options["batch_size"] < 1:
            raise CommandError("--tickets must be 0 or more and --batch-size at least 1.")
        done = BenchLoad.objects.values_list("tickets_done", flat=True).first() or 0
        started = time.monotonic()
        with tqdm(
            total=options["tickets"],
            initial=min(done, options["tickets"]),
            unit=" tickets",
            disable=options["verbosity"] < 1,
            file=self.stderr._out,
        ) as bar:
            try:
                made = load.build(
                    options["tickets"],
                    seed=options["seed"],
                    batch_size=options["batch_size"],
                    most_batches=options["batches"],
                    progress=lambda tickets: bar.update(tickets - bar.n),
                )
            except load.BatchSizeChanged as refused:
                raise CommandError(str(refused)) from None
        seconds = time.monotonic() - started
        self.stdout.write(
            f"{made.tickets} tickets in {made.batches} batches ({seconds:.0f} s this run); "
            "sign-ins in var/bench-data.json."
        )
