"""Geometry for a grouped bar chart drawn as SVG on the server: categories along the bottom,
one bar per series in each. Pure: numbers in, rectangles out; a template draws them."""

from dataclasses import dataclass

from familyfeedback.lib.chartframe import Frame

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 48


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int
    value: float


@dataclass(frozen=True)
class BarChart(Frame):
    bars: list[Bar]
    labels: list[tuple[float, str]]
    ticks: list[tuple[float, int]]
    series: list[str]


def nice_top(largest: float) -> int:
    """A round number at or above the largest value, for the top of the axis."""
    if largest <= 0:
        return 1
    step = 10 ** max(len(str(int(largest))) - 1, 0)
    return int(-(-largest // step) * step) or 1


def bar_chart(categories: list[str], series: list[str], values: list[list[float]]) -> BarChart:
    """values[i][j] is series j in category i."""
    top = nice_top(max((v for row in values for v in row), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(categories), 1)
    bar_w = slot * 0.8 / max(len(series), 1)
    bars, labels = [], []
    for i, (category, row) in enumerate(zip(categories, values, strict=True)):
        start = LEFT + i * slot + slot * 0.1
        for j, value in enumerate(row):
            h = plot_h * value / top
            bars.append(Bar(round(start + j * bar_w, 1), round(TOP + plot_h - h, 1),
                            round(bar_w - 2, 1), round(h, 1), j, value))
        labels.append((round(LEFT + i * slot + slot / 2, 1), category))
    ticks = [(round(TOP + plot_h * (1 - f), 1), round(top * f)) for f in (0, 0.25, 0.5, 0.75, 1)]
    return BarChart(bars=bars, labels=labels, ticks=ticks, series=series, width=WIDTH,
                    height=HEIGHT, left=LEFT, right=RIGHT, bottom=BOTTOM)
