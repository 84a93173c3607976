"""``field__among=values``: the ``__in`` lookup for lists of thousands (an office's end of day
filters by the ids of its chunk of tickets). On PostgreSQL it sends the list as one array
parameter, ``field = ANY(%s)``: the ``IN (%s, %s, …)`` of two thousand placeholders costs
psycopg a parse of the whole statement text every time (too long for its cache), and the
server another. Elsewhere it is ``__in``. Registered on every field, references included,
at start-up (``lib.apps``)."""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, ForeignObject
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.lookups import In
from django.db.models.sql.compiler import SQLCompiler


class _OneArray(In):
    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        _, values = self.process_rhs(compiler, connection)  # prepared, without None
        return f"{lhs} = ANY(%s)", [*lhs_params, list(values)]


@Field.register_lookup
class Among(_OneArray):
    lookup_name = "among"


# A reference has lookups of its own (``RelatedIn`` takes instances as well as keys).
@ForeignObject.register_lookup
class RelatedAmong(_OneArray, RelatedIn):
    lookup_name = "among"
