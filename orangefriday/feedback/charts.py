"""Chart geometry as pure functions: numbers in, SVG coordinates out (no database, no HTML).

The templates draw the SVG from these shapes, so the results page needs no JavaScript and
no inline style (the CSP forbids both); colours come from classes in feedback.css. Every
chart has a viewBox of WIDTH units across and scales to the width of the page.
"""

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 400
# Labels are drawn at 15 units (readable on a phone, where a unit is under a pixel); a
# character takes about 7.5 of them.
LABEL_CHARS = 48
VALUE_ROOM = 44  # to the right of the longest bar, for its number


def shorten(text: str, limit: int = LABEL_CHARS) -> str:
    """`text` cut to `limit` characters with an ellipsis (the full text goes in a tooltip)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _scale(value: float, top: float, length: float) -> float:
    return round(length * value / top, 1) if top > 0 else 0.0


@dataclass(frozen=True)
class HorizontalBar:
    label: str
    title: str  # the whole label
    value: int
    url: str | None
    label_y: float
    bar_y: float
    bar_width: float
    value_x: float
    value_y: float
    leader: bool  # the largest value (ties included), drawn darker


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bar_height: int
    bars: list[HorizontalBar]


ROW = 44  # one bar: its label on a line, the bar under it
BAR_HEIGHT = 14


def bar_chart(items: Sequence[tuple[str, int, str | None]], *, width: int = WIDTH) -> BarChart:
    """Horizontal bars, one row each (label above, bar below, the number after the bar);
    the largest value spans the width less the room for its number."""
    top = max((value for _, value, _ in items), default=0)
    span = width - VALUE_ROOM
    bars = []
    for index, (label, value, url) in enumerate(items):
        y = index * ROW
        bar_width = _scale(value, top, span)
        bars.append(
            HorizontalBar(
                label=shorten(label),
                title=label,
                value=value,
                url=url,
                label_y=y + 15,
                bar_y=y + 22,
                bar_width=bar_width,
                value_x=bar_width + 6,
                value_y=y + 34,
                leader=value == top > 0,
            )
        )
    return BarChart(
        width=width, height=max(len(items) * ROW, ROW), bar_height=BAR_HEIGHT, bars=bars
    )


@dataclass(frozen=True)
class Column:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    label_x: float
    value_y: float


@dataclass(frozen=True)
class Histogram:
    width: int
    height: int
    baseline: float
    label_y: float
    columns: list[Column]


PLOT_TOP = 20  # room above the tallest column (or point) for its number
PLOT_BOTTOM = 24  # room under the baseline for the labels
PLOT_HEIGHT = 160
GAP = 6


def histogram(labels: Sequence[str], counts: Sequence[int], *, width: int = WIDTH) -> Histogram:
    """Vertical columns, one per label, heights relative to the largest count."""
    if len(labels) != len(counts):
        raise ValueError("one count per label")
    top = max(counts, default=0)
    slot = width / max(len(labels), 1)
    baseline = PLOT_TOP + PLOT_HEIGHT
    columns = []
    for index, (label, count) in enumerate(zip(labels, counts, strict=True)):
        height = _scale(count, top, PLOT_HEIGHT)
        x = round(index * slot + GAP / 2, 1)
        columns.append(
            Column(
                label=label,
                value=count,
                x=x,
                y=round(baseline - height, 1),
                width=round(slot - GAP, 1),
                height=height,
                label_x=round(x + (slot - GAP) / 2, 1),
                value_y=round(baseline - height - 5, 1),
            )
        )
    return Histogram(
        width=width,
        height=baseline + PLOT_BOTTOM,
        baseline=baseline,
        label_y=baseline + 17,
        columns=columns,
    )


@dataclass(frozen=True)
class Point:
    label: str
    value: float | None
    x: float
    y: float | None  # None: nothing to draw for this label (no data)
    current: bool

    @property
    def value_y(self) -> float | None:
        return None if self.y is None else round(self.y - 10, 1)


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    baseline: float
    label_y: float
    points: list[Point]
    # Runs of consecutive points with a value, as SVG polyline coordinates; a label without
    # a value breaks the line rather than pretending it was zero.
    lines: list[str]
    gridlines: list[tuple[float, float, str]]  # (y, its label's y, the value it marks)


def line_chart(
    points: Sequence[tuple[str, float | None]],
    *,
    top: float,
    current: int | None = None,
    width: int = WIDTH,
    grid: Sequence[float] = (),
) -> LineChart:
    """A line across labels (builds, oldest first) on a scale from 0 to `top`; the point at
    index `current` is marked. Points sit in the middle of equal slots."""
    slot = width / max(len(points), 1)
    baseline = PLOT_TOP + PLOT_HEIGHT
    placed = []
    for index, (label, value) in enumerate(points):
        y = None if value is None else round(baseline - _scale(value, top, PLOT_HEIGHT), 1)
        placed.append(
            Point(
                label=label,
                value=value,
                x=round(index * slot + slot / 2, 1),
                y=y,
                current=index == current,
            )
        )
    lines: list[str] = []
    run: list[str] = []
    for point in placed:
        if point.y is None:
            if len(run) > 1:
                lines.append(" ".join(run))
            run = []
        else:
            run.append(f"{point.x},{point.y}")
    if len(run) > 1:
        lines.append(" ".join(run))
    return LineChart(
        width=width,
        height=baseline + PLOT_BOTTOM,
        baseline=baseline,
        label_y=baseline + 17,
        points=placed,
        lines=lines,
        gridlines=[_gridline(g, top, baseline) for g in grid],
    )


def _gridline(value: float, top: float, baseline: float) -> tuple[float, float, str]:
    y = round(baseline - _scale(value, top, PLOT_HEIGHT), 1)
    return y, round(y - 3, 1), f"{value:g}"
