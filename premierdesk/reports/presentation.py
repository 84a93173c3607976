"""A report as people see it: its column headers in words, and its chart: its months across,
a bar per group, for the column the report names. At most ``SHOWN`` groups are drawn (the
biggest by their total of that column); the table and the CSV always hold every group."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from premierdesk.reports import charts
from premierdesk.reports.queries import COLUMNS, GROUPINGS, Period, Table

SHOWN = 8


@dataclass(frozen=True)
class Chart:
    svg: str
    shown: int
    groups: int


def chart(table: Table, period: Period) -> Chart:
    months = period.months()
    at = {month: n for n, month in enumerate(months)}
    values: dict[str, list[float | None]] = defaultdict(lambda: [None] * len(months))
    column = table.columns.index(table.chart)
    for row in table.rows:
        if row[1] in at and row[column] is not None:
            values[row[0]][at[row[1]]] = row[column]
    ranked = sorted(values, key=lambda g: (-sum(v or 0 for v in values[g]), g))
    series = [charts.Series(group, values[group]) for group in ranked[:SHOWN]]
    maximum = {"%": 100.0, "/ 5": 5.0}.get(table.unit)  # fixed scales read the same each month
    svg = charts.months(
        table.title,
        [m.strftime("%b %y") for m in months],
        series,
        unit=table.unit,
        maximum=maximum,
    )
    return Chart(svg, len(series), len(ranked))


def headers(table: Table) -> list[str]:
    """The table's column headers as people read them: the grouping's name, then each figure."""
    return [GROUPINGS.get(table.by, "Group"), *(COLUMNS[c] for c in table.columns[1:])]
