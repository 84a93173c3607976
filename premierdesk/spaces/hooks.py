"""What spaces asks of the areas above it without importing them (``lib.hooks``;
docs/architecture.md lists them all).

- ``standby_terms()``: the weekend standby's notice and length as the policy says today,
  which the first "How do I" version states (services answers with its ``ServicePolicy``).
"""

from __future__ import annotations

from typing import Protocol

from premierdesk.lib.hooks import Question


class StandbyTerms(Protocol):
    @property
    def standby_notice_days(self) -> int: ...

    @property
    def standby_max_hours(self) -> int: ...


standby_terms: Question[[], StandbyTerms] = Question("spaces.standby_terms")
