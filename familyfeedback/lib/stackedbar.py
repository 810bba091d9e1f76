"""Geometry for a 100% stacked bar chart drawn as SVG on the server, the shape the pilot report
gives a Likert question's answers: one horizontal bar per row, split by option in order. Pure:
percentages in, rectangles out; a template draws them."""

from dataclasses import dataclass

from familyfeedback.lib.chartframe import Frame

WIDTH = 640
LEFT, RIGHT, BOTTOM = 16, 16, 40
ROW = 56  # a label's line above its bar, the bar, and a gap
BAR = 24
LABEL_CHARS = 80  # a label longer than this is cut: the table beside the chart has it whole


@dataclass(frozen=True)
class Segment:
    x: float
    y: float
    width: float
    height: float
    series: int
    pct: float


@dataclass(frozen=True)
class StackedBars(Frame):
    segments: list[Segment]
    labels: list[tuple[float, str]]  # (y of the text's baseline, label)
    ticks: list[tuple[float, int]]  # (x, percent)
    series: list[str]


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1].rstrip() + "…"


def stacked_bars(rows: list[str], series: list[str],
                 pcts: list[list[float]]) -> StackedBars:
    """pcts[i][j] is the percentage of row i that chose option j (a row of zeros draws no bar)."""
    plot_w = WIDTH - LEFT - RIGHT
    height = len(rows) * ROW + BOTTOM
    segments, labels = [], []
    for i, (label, row) in enumerate(zip(rows, pcts, strict=True)):
        top = i * ROW + 22
        labels.append((top - 6, _short(label)))
        x = float(LEFT)
        for j, pct in enumerate(row):
            w = plot_w * pct / 100
            if w > 0:
                segments.append(Segment(round(x, 1), top, round(w, 1), BAR, j, pct))
            x += w
    ticks = [(round(LEFT + plot_w * f / 100, 1), f) for f in (0, 20, 40, 60, 80, 100)]
    return StackedBars(segments=segments, labels=labels, ticks=ticks, series=series,
                       width=WIDTH, height=height, left=LEFT, right=RIGHT, bottom=BOTTOM)
