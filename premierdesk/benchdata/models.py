"""How far `premierdesk bench-data` got: one row, written in the same transaction as each batch
of tickets, so a re-run continues after the last committed batch and never adds one twice."""

from __future__ import annotations

from django.db import models


class BenchLoad(models.Model):
    """The dataset's seed and instant (every re-run builds from the same ones) and the tickets
    committed so far. Its existence says the people, organizations and offices are there."""

    seed = models.PositiveIntegerField()
    anchor = models.DateTimeField(help_text="The dataset's 'now': history ends here.")
    batch_size = models.PositiveIntegerField()
    tickets_done = models.PositiveIntegerField(default=0)
    batches_done = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Benchmark dataset: {self.tickets_done} tickets in {self.batches_done} batches"
