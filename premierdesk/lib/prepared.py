"""Queries composed and compiled once per process, then run with new values: for the few
reads every request makes (the API token, the license with its product, the offering's
targets), where Django spent longer building and compiling the same SQL again than the
database took to answer it.

``Prepared(build, int, str)`` holds a function that builds the queryset from its values,
used as they are (normalised by the caller: the function must not change them). The first
use builds it once with stand-in values of those types, compiles it, and notes where each
stand-in sits among the SQL's parameters; later uses put the real values there and run the
SQL, and the rows become instances as the queryset's own would (``select_related`` and
annotations included) or tuples for a ``values_list``. A stand-in the SQL does not carry as
a parameter (a value the lookup rewrites, as ``__contains`` does) is refused when first
compiled, so such a query cannot be prepared by mistake.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import RelatedPopulator, get_related_populators

M = TypeVar("M", bound=Model)


class NotPreparable(ValueError):
    """A value of the query is not one of its SQL's parameters."""


@dataclass(frozen=True)
class _Slot:
    position: int  # among the SQL's parameters
    value: int  # which of the values goes there
    adapted: bool  # as the database's datetime adaptation gives it (SQLite: text)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[_Slot, ...]
    compiler: Any  # the SQLCompiler that compiled it: its columns, converters, models
    init_list: list[str]
    model_fields: slice
    populators: list[RelatedPopulator]
    annotations: dict[str, int]


def _stand_in(kind: type, n: int) -> Any:
    """A value of ``kind`` no real query uses, so it can be found among the parameters."""
    if kind is int:
        return -(2**62) - n
    if kind is str:
        return f"\x00prepared value {n}\x00"
    if kind is datetime:
        return datetime(2000, 1, 1, 0, 0, 0, n + 1, tzinfo=UTC)
    raise TypeError(f"A prepared query takes int, str and datetime values, not {kind}.")


class Prepared(Generic[M]):
    def __init__(self, build: Callable[..., QuerySet[M, Any]], *kinds: type) -> None:
        self._build = build
        self._kinds = kinds
        self._compiled: dict[str, _Compiled] = {}  # by database alias

    def all(self, *values: Any, using: str = "default") -> list[M]:
        """The instances the built queryset would give for ``values``."""
        compiled, rows = self._run(values, using)
        found = []
        for row in compiled.compiler.results_iter([rows]):
            obj = compiled.compiler.klass_info["model"].from_db(
                using, compiled.init_list, row[compiled.model_fields]
            )
            for populator in compiled.populators:
                populator.populate(row, obj)
            for name, position in compiled.annotations.items():
                setattr(obj, name, row[position])
            found.append(obj)
        return found

    def first(self, *values: Any, using: str = "default") -> M | None:
        found = self.all(*values, using=using)
        return found[0] if found else None

    def rows(self, *values: Any, using: str = "default") -> list[tuple[Any, ...]]:
        """The rows of a ``values_list`` queryset, converted as it would convert them."""
        compiled, rows = self._run(values, using)
        return list(compiled.compiler.results_iter([rows], tuple_expected=True))

    def _run(self, values: Sequence[Any], using: str) -> tuple[_Compiled, list[Any]]:
        if len(values) != len(self._kinds):
            raise TypeError(f"This query takes {len(self._kinds)} values, not {len(values)}.")
        compiled = self._compiled.get(using) or self._compile(using)
        connection = connections[using]
        params = list(compiled.params)
        for slot in compiled.slots:
            value = values[slot.value]
            if slot.adapted:
                value = connection.ops.adapt_datetimefield_value(value)
            params[slot.position] = value
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            return compiled, cursor.fetchall()

    def _compile(self, using: str) -> _Compiled:
        stand_ins = [_stand_in(kind, n) for n, kind in enumerate(self._kinds)]
        queryset = self._build(*stand_ins).using(using)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        ops = connections[using].ops
        slots = []
        for n, stand_in in enumerate(stand_ins):
            forms = [(stand_in, False)]
            if isinstance(stand_in, datetime):
                forms.append((ops.adapt_datetimefield_value(stand_in), True))
            found = [
                _Slot(position, n, adapted)
                for position, param in enumerate(params)
                for form, adapted in forms
                if type(param) is type(form) and param == form
            ]
            if not found:
                raise NotPreparable(f"Value {n} is not a parameter of the query's SQL: {sql}")
            slots += found
        klass_info = compiler.klass_info
        fields: slice = slice(0)
        init_list: list[str] = []
        populators: list[RelatedPopulator] = []
        if klass_info:  # a queryset of instances, not of values
            select_fields = klass_info["select_fields"]
            fields = slice(select_fields[0], select_fields[-1] + 1)
            init_list = [column[0].target.attname for column in compiler.select[fields]]
            # The stubs know a later Django's signature; 5.2's takes these three.
            populators = get_related_populators(klass_info, compiler.select, using)  # type: ignore[call-arg]
        compiled = _Compiled(
            sql,
            tuple(params),
            tuple(slots),
            compiler,
            init_list,
            fields,
            populators,
            dict(compiler.annotation_col_map or {}),
        )
        self._compiled[using] = compiled
        return compiled
