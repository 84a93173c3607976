"""Charts drawn on the server as SVG (pure: no database, no JavaScript, nothing fetched), so
reports read at a glance offline, print, and can be tested as text.

Two shapes cover the reports: horizontal bars (one value per group, largest first as given)
and months as columns of small bars, one per group, for trends. Every label is escaped; every
bar carries its value as text and a <title>, so the chart is readable without colour and by a
screen reader.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

# Colours that stay apart for the common kinds of colour blindness (Okabe and Ito).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
ROW = 26  # pixels per bar
LABEL_WIDTH = 110
BAR_WIDTH = 320
VALUE_WIDTH = 80


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str = ""  # how the value reads ("92.5 %"); the number itself when empty


def bars(title: str, rows: Sequence[Bar], *, unit: str = "", maximum: float | None = None) -> str:
    """Horizontal bars, one per row, scaled to ``maximum`` (default: the largest value)."""
    top = maximum if maximum is not None else max((r.value for r in rows), default=0)
    height = ROW * max(len(rows), 1) + 40
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    parts = [_open(title, width, height), _title(title)]
    if not rows:
        parts.append(f'<text x="0" y="44" class="empty">{escape("Nothing to show.")}</text>')
    for n, row in enumerate(rows):
        y = 30 + n * ROW
        length = 0.0 if top <= 0 else BAR_WIDTH * max(row.value, 0) / top
        text = row.text or _number(row.value, unit)
        parts += [
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" '
            f'text-anchor="end">{escape(row.label)}</text>',
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{length:.1f}" height="{ROW - 8}" '
            f'fill="{PALETTE[0]}"><title>{escape(f"{row.label}: {text}")}</title></rect>',
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + 16}">{escape(text)}</text>',
        ]
    parts.append("</svg>")
    return "\n".join(parts)


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | None]  # one per month; None where there is nothing to count


def months(
    title: str,
    columns: Sequence[str],
    series: Sequence[Series],
    *,
    unit: str = "",
    maximum: float | None = None,
) -> str:
    """Months across, a small bar per series in each month, with a legend. Series past the
    palette's length are drawn in its last colour; the reports cap their groups before."""
    values = [v for s in series for v in s.values if v is not None]
    top = maximum if maximum is not None else max(values, default=0)
    plot_height, column_width = 180, max(48, 12 * max(len(series), 1) + 16)
    width = 60 + column_width * max(len(columns), 1)
    height = 40 + plot_height + 30 + 20 * len(series)
    parts = [_open(title, width, height), _title(title)]
    base = 30 + plot_height
    parts.append(f'<line x1="56" y1="{base}" x2="{width}" y2="{base}" class="axis"/>')
    parts.append(f'<text x="52" y="40" text-anchor="end">{escape(_number(top, unit))}</text>')
    bar = (column_width - 16) / max(len(series), 1)
    for c, column in enumerate(columns):
        x0 = 60 + c * column_width
        parts.append(
            f'<text x="{x0 + (column_width - 8) / 2:.1f}" y="{base + 18}" '
            f'text-anchor="middle">{escape(column)}</text>'
        )
        for s, one in enumerate(series):
            value = one.values[c] if c < len(one.values) else None
            if value is None:
                continue
            h = 0.0 if top <= 0 else plot_height * max(value, 0) / top
            label = escape(f"{one.label}, {column}: {_number(value, unit)}")
            parts.append(
                f'<rect x="{x0 + s * bar:.1f}" y="{base - h:.1f}" width="{max(bar - 2, 1):.1f}" '
                f'height="{h:.1f}" fill="{_colour(s)}"><title>{label}</title></rect>'
            )
    for s, one in enumerate(series):
        y = base + 34 + 20 * s
        parts += [
            f'<rect x="60" y="{y - 11}" width="12" height="12" fill="{_colour(s)}"/>',
            f'<text x="78" y="{y}">{escape(one.label)}</text>',
        ]
    parts.append("</svg>")
    return "\n".join(parts)


def _open(title: str, width: float, height: float) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-label={quoteattr(title)} viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" font-size="12" font-family="sans-serif">'
    )


def _title(title: str) -> str:
    heading = f'<text x="0" y="16" font-weight="bold">{escape(title)}</text>'
    return f"<title>{escape(title)}</title>{heading}"


def _colour(index: int) -> str:
    return PALETTE[min(index, len(PALETTE) - 1)]


def _number(value: float, unit: str) -> str:
    shown = f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
    return f"{shown} {unit}".strip()
