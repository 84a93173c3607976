"""A report as CSV: the same rows the page and the API show. A cell that a spreadsheet would
run as a formula (it starts with =, +, - or @; an organization's name could) is written with
a leading apostrophe, so opening the file runs nothing."""

from __future__ import annotations

import csv
import io
from datetime import date

from premierdesk.reports.queries import Table

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def as_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%Y-%m")
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_START):
        return "'" + text
    return text
