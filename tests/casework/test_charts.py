from datetime import date
from decimal import Decimal

from familyfeedback.casework import charts


def test_points_are_placed_by_date_and_score():
    chart = charts.build_chart([(date(2026, 1, 1), Decimal("0")), (date(2026, 1, 11),
                                Decimal("40")), (date(2026, 1, 21), Decimal("20"))])
    xs = [p.x for p in chart.points]
    ys = [p.y for p in chart.points]
    assert xs == [charts.LEFT, charts.LEFT + (charts.WIDTH - charts.LEFT - charts.RIGHT) / 2,
                  charts.WIDTH - charts.RIGHT]
    assert ys[0] == charts.HEIGHT - charts.BOTTOM and ys[1] == charts.TOP
    assert ys[2] == (ys[0] + ys[1]) / 2
    assert chart.path.startswith(f"M{xs[0]},{ys[0]} L")


def test_the_band_is_the_first_score_plus_or_minus_the_reliable_change_clipped_to_the_scale():
    chart = charts.build_chart([(date(2026, 1, 1), Decimal("37"))], band_width=Decimal("5"),
                               cutoff=Decimal("25"), cutoff_label="Cut-off 25")
    assert chart.band.label == "No reliable change: 32 to 40"
    assert chart.band.y_top == charts.TOP
    assert chart.cutoff.label == "Cut-off 25"
    assert len(chart.points) == 1 and len(chart.x_labels) == 1


def test_the_family_chart_gives_each_person_a_colour_marker_and_dash_of_their_own():
    day = date(2026, 1, 1)
    chart = charts.build_family_chart([
        ("Alex", [(day, Decimal("20"))], Decimal("25")),
        ("Sam", [(day, Decimal("30"))], Decimal("25")),
        ("Jo", [(day, Decimal("10"))], Decimal("28")),
    ])
    styles = [(s.colour, s.marker, s.dash) for s in chart.series]
    for part in range(3):
        assert len({style[part] for style in styles}) == 3
    # One line per cut-off, naming whose it is; 25 and 28 are close, so their labels are moved
    # at least a line of text apart.
    assert [(c.value, c.names) for c in chart.cutoffs] == [(Decimal("28"), ("Jo",)),
                                                            (Decimal("25"), ("Alex", "Sam"))]
    assert chart.cutoffs[1].label_y - chart.cutoffs[0].label_y >= 18
