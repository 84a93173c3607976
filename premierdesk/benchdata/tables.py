"""Writing many rows at once, below the ORM: COPY on PostgreSQL, multi-row INSERTs on SQLite.

Rows are tuples in the order of the columns named; ids are given by the caller (so comments
and events can point at their ticket without reading anything back). Values are plain:
aware UTC datetimes, dates, str, int, bool, None, and JSON already encoded as text.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from django.db import connection
from django.db.models import DateTimeField, Model

Row = tuple[Any, ...]
SQLITE_VARIABLES = 32_766  # SQLITE_MAX_VARIABLE_NUMBER since 3.32
SQLITE_ROWS = 400  # rows per INSERT statement: more buys nothing measurable
# Faster loading on SQLite, restored afterwards: no fsync per transaction (a crash can only
# lose batches not yet recorded as done), and a bigger page cache for the index updates.
LOAD_PRAGMAS = {"synchronous": "OFF", "cache_size": "-262144", "temp_store": "MEMORY"}


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def encode(value: object) -> str:
    """JSON as the JSONField stores it."""
    return json.dumps(value)


def sqlite_datetime(value: datetime | None) -> str | None:
    """What Django itself writes on SQLite: the UTC time as text without the zone."""
    if value is None:
        return None
    text = value.isoformat(" ")
    if text.endswith("+00:00"):  # already UTC: the cheap way, for millions of values
        return text[:-6]
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")


def _sqlite_rows(model: type[Model], columns: Sequence[str], rows: Sequence[Row]) -> list[Row]:
    fields = {f.column: f for f in model._meta.concrete_fields}
    times = [n for n, c in enumerate(columns) if isinstance(fields[c], DateTimeField)]
    if not times:
        return list(rows)
    converted = []
    for row in rows:
        values = list(row)
        for n in times:
            values[n] = sqlite_datetime(values[n])
        converted.append(tuple(values))
    return converted


def prepare(model: type[Model], columns: Sequence[str], rows: Sequence[Row]) -> Sequence[Row]:
    """The rows as the database takes them (needs no connection: a helper process may do it)."""
    return rows if is_postgresql() else _sqlite_rows(model, columns, rows)


def write(model: type[Model], columns: Sequence[str], rows: Sequence[Row]) -> None:
    """Insert prepared ``rows`` into ``model``'s table, inside the caller's transaction."""
    if not rows:
        return
    table = model._meta.db_table
    if is_postgresql():
        _copy(table, columns, rows)
    else:
        _insert(table, columns, rows)


def _copy(table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _insert(table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
    per_statement = max(1, min(SQLITE_ROWS, SQLITE_VARIABLES // len(columns)))
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    one = "(" + ", ".join("?" * len(columns)) + ")"
    values = rows
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor  # the driver's own: Django's wrapper would rewrite every "?"
        whole = len(values) - len(values) % per_statement
        cursor.executemany(
            _statement(table, names, one, per_statement),
            (
                [v for row in values[start : start + per_statement] for v in row]
                for start in range(0, whole, per_statement)
            ),
        )
        if whole < len(values):
            rest = values[whole:]
            statement = _statement(table, names, one, len(rest))
            cursor.execute(statement, [v for row in rest for v in row])


def _statement(table: str, names: str, one: str, rows: int) -> str:
    """INSERT of ``rows`` rows; every name comes from the models, every value is a parameter."""
    return f"INSERT INTO {table} ({names}) VALUES " + ", ".join([one] * rows)  # noqa: S608


def next_id(model: type[Model]) -> int:
    """The first free id of ``model``'s table (the caller holds the write transaction)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id) FROM {model._meta.db_table}")  # noqa: S608 - our table
        (highest,) = cursor.fetchone()
    return int(highest or 0) + 1


def catch_up_sequence(model: type[Model]) -> None:
    """After rows with given ids, PostgreSQL's identity must continue after them (SQLite's
    AUTOINCREMENT follows by itself)."""
    if not is_postgresql():
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - our table
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
        )


def analyze() -> None:
    """Fresh statistics on PostgreSQL after the world is written: without them its planner
    takes the just-filled tables for empty and joins 21,000 people by nested loops, which
    ran for minutes in a fresh database (SQLite's planner needs none)."""
    if is_postgresql():
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # inside the transaction: it sees the rows written there


@contextmanager
def loading() -> Iterator[None]:
    """The load PRAGMAs on SQLite for the block, then the values they had (not inside a
    transaction, where SQLite refuses them: tests)."""
    if is_postgresql() or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        before = {}
        for name, value in LOAD_PRAGMAS.items():
            cursor.execute(f"PRAGMA {name}")
            before[name] = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA {name} = {value}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for name, value in before.items():
                cursor.execute(f"PRAGMA {name} = {value}")
