"""Server-drawn SVG charts of a person's totals over time. Pure geometry: a list of points and the
reference lines in, the shapes to draw out; the template writes the SVG and the table beside it."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from familyfeedback.lib.chartframe import Frame

# A narrow drawing with large text: at a 320 px phone the chart is about 290 px wide, and text of
# 18 units then renders at 13 px (it was 6 px at 640 units wide). The key sits under the axis,
# inside the drawing, one row per line or band, so no label can run off the edge.
WIDTH, HEIGHT = 400, 230
LEFT, RIGHT, TOP, BOTTOM = 34, 10, 12, 32
KEY_ROW = 26
MAX_TOTAL = 40


class Point(NamedTuple):  # a tuple: a long history makes over a thousand a page
    on: date
    total: Decimal
    x: float
    y: float


@dataclass(frozen=True)
class Line:
    y: float
    value: Decimal
    label: str
    note: str = ""  # what being below it means, said under the chart


@dataclass(frozen=True)
class Band:
    y_top: float
    y_bottom: float
    label: str  # "No reliable change: 20.0 to 30.0", from the first score


@dataclass(frozen=True)
class KeyRow:
    """One entry of the key drawn under the chart: a swatch of the shape's style and its name."""

    kind: str  # "band", "expected" or "cutoff": the CSS class the swatch borrows
    label: str
    y: float


@dataclass(frozen=True)
class Chart(Frame):
    points: list[Point]
    cutoff: Line | None
    band: Band | None
    path: str
    expected_path: str
    y_ticks: list[tuple[float, int]]
    x_labels: list[tuple[float, str]]
    key: list[KeyRow]


def _y(total: Decimal | float) -> float:
    return round(TOP + (HEIGHT - TOP - BOTTOM) * (1 - float(total) / MAX_TOTAL), 1)


def build_chart(
    scores: list[tuple[date, Decimal]],
    *,
    cutoff: Decimal | None = None,
    cutoff_label: str = "",
    cutoff_note: str = "",
    band_width: Decimal | None = None,
    expected: list[tuple[float, float]] | None = None,
) -> Chart:
    """scores in date order. The band is the first score ± the reliable-change value: a later
    score outside it is a reliable change. expected, when given, is the expected range (low,
    high) at each score, drawn as a shaded ribbon through the points' dates."""
    plot_width = WIDTH - LEFT - RIGHT
    if len(scores) > 1:
        first_day, last_day = scores[0][0], scores[-1][0]
        span = max((last_day - first_day).days, 1)
        xs = [LEFT + plot_width * (on - first_day).days / span for on, _ in scores]
    else:
        xs = [LEFT + plot_width / 2 for _ in scores]
    points = [Point(on, total, round(x, 1), _y(total))
              for (on, total), x in zip(scores, xs, strict=True)]
    band = None
    if band_width is not None and points:
        first = points[0].total
        high, low = min(first + band_width, MAX_TOTAL), max(first - band_width, 0)
        band = Band(_y(high), _y(low), f"No reliable change: {low} to {high}")
    line = Line(_y(cutoff), cutoff, cutoff_label, cutoff_note) if cutoff is not None else None
    path = " ".join(f"{'M' if i == 0 else 'L'}{p.x},{p.y}" for i, p in enumerate(points))
    expected_path = ""
    if expected and len(expected) == len(points):
        upper = [(p.x, _y(min(high, MAX_TOTAL))) for p, (_, high) in zip(points, expected,
                                                                          strict=True)]
        lower = [(p.x, _y(max(low, 0))) for p, (low, _) in zip(points, expected, strict=True)]
        outline = upper + lower[::-1]
        expected_path = " ".join(f"{'M' if i == 0 else 'L'}{x},{y}"
                                 for i, (x, y) in enumerate(outline)) + " Z"
    x_labels = []
    if points:
        ends = [points[0]] if len(points) == 1 else [points[0], points[-1]]
        x_labels = [(p.x, f"{p.on.day} {p.on:%b %Y}") for p in ends]
    names = [("band", "No reliable change", band), ("expected", "Expected range", expected_path),
             ("cutoff", line.label if line else "", line)]
    key = [KeyRow(kind, label, HEIGHT + KEY_ROW * n + KEY_ROW / 2)
           for n, (kind, label, shown) in enumerate((k, la, s) for k, la, s in names if s)]
    # The key takes the bottom margin below the axis, which grows by a row for each entry.
    below_axis = BOTTOM + KEY_ROW * len(key) + (8 if key else 0)
    return Chart(
        points=points,
        cutoff=line,
        band=band,
        path=path,
        expected_path=expected_path,
        y_ticks=[(_y(v), v) for v in (0, 10, 20, 30, 40)],
        x_labels=x_labels,
        key=key,
        width=WIDTH, height=HEIGHT - BOTTOM + below_axis,
        left=LEFT, right=RIGHT, bottom=below_axis,
    )


# Each person of a family picture is told apart by three things at once, so that no one depends on
# colour: a colour of the GOV.UK palette (each at least 3:1 on white), a marker shape and a dash
# pattern. A sixth person starts the styles again with their name in the key.
PERSON_STYLES = (
    ("#1d70b8", "circle", ""),
    ("#00703c", "square", "10 5"),
    ("#4c2c92", "triangle", "3 4"),
    ("#0b0c0c", "diamond", "14 4 3 4"),
    ("#912b88", "cross", "6 3"),
)
FAMILY_RIGHT = 38  # room for each cut-off's value at the right end of its line


@dataclass(frozen=True)
class Series:
    """One person's line: their points, style and marker outline."""

    name: str
    points: list[Point]
    path: str
    colour: str
    marker: str
    dash: str


@dataclass(frozen=True)
class Cutoffs:
    """One cut-off line, for everyone whose measure and age share it."""

    value: Decimal
    y: float
    label_y: float
    names: tuple[str, ...]


@dataclass(frozen=True)
class FamilyChart(Frame):
    series: list[Series]
    cutoffs: list[Cutoffs]
    y_ticks: list[tuple[float, int]]
    x_labels: list[tuple[float, str]]


def build_family_chart(people: list[tuple[str, list[tuple[date, Decimal]],
                                          Decimal | None]]) -> FamilyChart:
    """people: (name, totals in date order, their cut-off or None). The dates share one axis."""
    plot_width = WIDTH - LEFT - FAMILY_RIGHT
    days = sorted({on for _, scores, _ in people for on, _ in scores})
    first = days[0] if days else None
    span = max((days[-1] - days[0]).days, 1) if len(days) > 1 else None

    def x(on: date) -> float:
        if span is None:
            return round(LEFT + plot_width / 2, 1)
        return round(LEFT + plot_width * (on - first).days / span, 1)

    series = []
    for n, (name, scores, _) in enumerate(people):
        colour, marker, dash = PERSON_STYLES[n % len(PERSON_STYLES)]
        points = [Point(on, total, x(on), _y(total)) for on, total in scores]
        path = " ".join(f"{'M' if i == 0 else 'L'}{p.x},{p.y}" for i, p in enumerate(points))
        series.append(Series(name, points, path, colour, marker, dash))
    by_value: dict[Decimal, list[str]] = {}
    for name, _, cutoff in people:
        if cutoff is not None:
            by_value.setdefault(cutoff, []).append(name)
    cutoffs, last_label = [], None
    for value in sorted(by_value, reverse=True):
        # Labels of close cut-offs (25 and 28 are 14 units apart) are pushed apart to be read.
        label_y = _y(value) + 6
        if last_label is not None and label_y - last_label < 18:
            label_y = last_label + 18
        last_label = label_y
        cutoffs.append(Cutoffs(value, _y(value), label_y, tuple(by_value[value])))
    x_labels = []
    if days:
        ends = [days[0]] if len(days) == 1 else [days[0], days[-1]]
        x_labels = [(x(on), f"{on.day} {on:%b %Y}") for on in ends]
    return FamilyChart(series=series, cutoffs=cutoffs,
                       y_ticks=[(_y(v), v) for v in (0, 10, 20, 30, 40)], x_labels=x_labels,
                       width=WIDTH, height=HEIGHT, left=LEFT, right=FAMILY_RIGHT, bottom=BOTTOM)
