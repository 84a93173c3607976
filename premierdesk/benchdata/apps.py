"""The benchmark dataset: `premierdesk bench-data` (tooling, not a domain area)."""

from django.apps import AppConfig


class BenchDataConfig(AppConfig):
    name = "premierdesk.benchdata"
    label = "benchdata"
    verbose_name = "Benchmark dataset"
