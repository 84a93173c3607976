"""Writing many rows of one model in one statement, for work that writes tens of thousands in a
transaction (an office's end of day). ``insert``: COPY on PostgreSQL, one prepared INSERT run
over every row on SQLite, three to six times faster than ``bulk_create``, which compiles every
value of every row into the SQL and reads each new primary key back; ``insert_rows`` the same
from plain rows. ``update``: rows given values of their own in one UPDATE; ``update_each``:
one UPDATE by primary key run over every row (thousands of rows whose values all differ)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC
from typing import Any, cast

from django.db import connection
from django.db.models import CharField, DateTimeField, Field, IntegerField, Model


def insert(objs: Sequence[Model]) -> int:
    """Insert unsaved instances of one model in the caller's transaction; returns how many.
    Their primary keys stay empty and no signal is sent (as ``bulk_create`` sends none)."""
    if not objs:
        return 0
    model = type(objs[0])
    if connection.vendor not in ("postgresql", "sqlite"):
        model._default_manager.bulk_create(objs)
        return len(objs)
    fields = _fields(model)
    _write(model, fields, [[field.pre_save(obj, True) for obj in objs] for field in fields])
    return len(objs)


def insert_rows(model: type[Model], rows: Sequence[Mapping[str, Any]]) -> int:
    """As ``insert``, from plain rows (field attribute names to values: ``ticket_id``), which
    cost far less to build than model instances when there are tens of thousands. Every row
    names the same fields; a field they leave out takes its default, the same for every row."""
    if not rows:
        return 0
    if connection.vendor not in ("postgresql", "sqlite"):
        return len(model._default_manager.bulk_create(model(**row) for row in rows))
    fields = _fields(model)
    values = []
    for field in fields:
        if field.attname in rows[0]:
            values.append([row[field.attname] for row in rows])
        else:
            values.append([field.get_default()] * len(rows))
    _write(model, fields, values)
    return len(rows)


def _fields(model: type[Model]) -> list[Field[Any, Any]]:
    # A generated column is the database's to write.
    return [f for f in model._meta.concrete_fields if not f.primary_key and not f.generated]


def _write(model: type[Model], fields: list[Field[Any, Any]], values: list[list[Any]]) -> None:
    """Write the rows whose values ``values`` holds column by column."""
    rows = list(zip(*(_converted(f, v) for f, v in zip(fields, values, strict=True)), strict=True))
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(cast(str, f.column)) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Django's debug cursor logs the COPY as one query, as it does an executemany.
            with (
                connection.wrap_database_errors,
                cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
        else:
            # Names from the model, quoted; every value goes as a parameter.
            insert_sql = f"INSERT INTO {table} ({columns}) VALUES ({_marks(len(fields))})"  # noqa: S608
            cursor.executemany(insert_sql, rows)


def update(model: type[Model], rows: Mapping[Any, Mapping[str, Any]], **common: Any) -> int:
    """Give each row (by primary key) its own values, and all of them ``common``, in one
    UPDATE: a field's CASE has one branch per distinct value, naming the rows that take it
    (a handover's thousands of tickets go to a few dozen engineers). Written as SQL: the
    ORM's CASE takes longer to compile than the database to run. Returns how many rows."""
    if not rows:
        return 0
    meta, quote = model._meta, connection.ops.quote_name
    by_value: dict[str, dict[Any, list[Any]]] = {}
    for pk, values in rows.items():
        for name, value in values.items():
            by_value.setdefault(name, {}).setdefault(value, []).append(pk)
    key = quote(cast(str, meta.pk.column))
    assignments, params = [], []
    for name, groups in by_value.items():
        field = cast(Field[Any, Any], meta.get_field(name))
        branches = []
        for value, pks in groups.items():
            among, among_params = _among(key, pks)
            branches.append(f"WHEN {among} THEN {_typed(field)}")
            params += [*among_params, field.get_db_prep_save(value, connection)]
        assignments.append(f"{quote(cast(str, field.column))} = CASE {' '.join(branches)} END")
    for name, value in common.items():
        field = cast(Field[Any, Any], meta.get_field(name))
        assignments.append(f"{quote(cast(str, field.column))} = {_typed(field)}")
        params.append(field.get_db_prep_save(value, connection))
    where, where_params = _among(key, list(rows))
    params += where_params
    # Names from the model, quoted; every value goes as a parameter.
    table = quote(meta.db_table)
    sql = f"UPDATE {table} SET {', '.join(assignments)} WHERE {where}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def update_each(model: type[Model], fields: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Store ``fields`` of each row (its values in that order, then its primary key): one
    UPDATE by primary key, executed for every row in one call (``executemany``), for rows
    whose values all differ (``update`` groups rows by value). ``bulk_update`` would build a
    CASE arm per row and field, which for thousands of rows costs more in Python than the
    writes themselves."""
    if not rows:
        return
    columns = [cast("Field[Any, Any]", model._meta.get_field(name)) for name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(str(c.column))} = %s" for c in columns)
    table, key = quote(model._meta.db_table), quote(str(model._meta.pk.column))
    # Only the model's own quoted names go into the text; every value is a parameter.
    sql = f"UPDATE {table} SET {assignments} WHERE {key} = %s"  # noqa: S608
    to_db = [to_database(c) for c in columns]
    params = [[f(v) for f, v in zip(to_db, row[:-1], strict=True)] + [row[-1]] for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def to_database(field: Field[Any, Any]) -> Callable[[Any], Any]:
    """How a value of ``field`` goes to the database, as ``get_db_prep_save`` sends it, but
    without the checks it repeats for every value: a number, a text or None as it is, an
    instant as the database's own operation adapts it (on SQLite, whose connection keeps
    UTC, the text Django writes: the UTC wall time, without the work of its checks)."""
    if isinstance(field, DateTimeField):
        if connection.vendor == "sqlite" and connection.timezone is UTC:
            return lambda value: (
                None if value is None else str(value.astimezone(UTC).replace(tzinfo=None))
            )
        adapt = connection.ops.adapt_datetimefield_value
        return lambda value: None if value is None else adapt(value)
    if isinstance(field, IntegerField | CharField):
        return lambda value: value
    return lambda value: field.get_db_prep_save(value, connection)


def _among(column: str, values: list[Any]) -> tuple[str, list[Any]]:
    """``column`` is one of ``values``: one array parameter on PostgreSQL (as the ``__among``
    lookup of ``lib.lookups``), a parameter each elsewhere."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [values]
    return f"{column} IN ({_marks(len(values))})", values


def _marks(count: int) -> str:
    return ", ".join(["%s"] * count)


def _typed(field: Field[Any, Any]) -> str:
    """A parameter, typed on PostgreSQL: a CASE of bare parameters would be text there."""
    if connection.vendor == "postgresql":
        return f"%s::{field.db_type(connection)}"
    return "%s"


def _converted(field: Field[Any, Any], values: list[Any]) -> list[Any]:
    """The column's values as the database takes them, each distinct value converted once
    (a handover's rows share their instant, actor and kind)."""
    to_db = to_database(field)
    try:
        # By type too: True == 1, but they are different values.
        converted = {(type(value), value): value for value in values}
    except TypeError:  # unhashable (JSON documents): each converted on its own
        return [to_db(value) for value in values]
    for key, value in converted.items():
        converted[key] = to_db(value)
    return [converted[type(value), value] for value in values]
