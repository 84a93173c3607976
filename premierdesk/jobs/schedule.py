"""The registry of periodic jobs: each app's tasks.py registers its own with ``@periodic``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django_tasks.base import Task


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: timedelta
    task: Task[Any, Any]


REGISTRY: dict[str, PeriodicJob] = {}


def periodic(every: timedelta) -> Callable[[Task[Any, Any]], Task[Any, Any]]:
    """Run the decorated task (it takes no arguments) every ``every``."""

    def register(task: Task[Any, Any]) -> Task[Any, Any]:
        name = task.module_path
        REGISTRY[name] = PeriodicJob(name=name, every=every, task=task)
        return task

    return register
