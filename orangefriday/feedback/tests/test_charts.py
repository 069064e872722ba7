"""Chart geometry, without a database: what a reader of the chart would check."""

import itertools

import pytest

from orangefriday.feedback.charts import (
    PLOT_HEIGHT,
    VALUE_ROOM,
    WIDTH,
    bar_chart,
    histogram,
    line_chart,
    shorten,
)


def test_bars_are_proportional_and_the_largest_fills_the_width():
    chart = bar_chart([("Happy", 10, None), ("Sad", 5, None), ("Love it", 0, "/posts/1/")])
    widths = [bar.bar_width for bar in chart.bars]
    assert widths == [WIDTH - VALUE_ROOM, (WIDTH - VALUE_ROOM) / 2, 0]
    # Each number sits just after its own bar; rows do not overlap.
    assert [bar.value_x for bar in chart.bars] == [w + 6 for w in widths]
    tops = [bar.label_y for bar in chart.bars]
    assert tops == sorted(tops) and len(set(tops)) == 3
    assert chart.height >= chart.bars[-1].value_y
    assert chart.bars[2].url == "/posts/1/"
    assert [bar.leader for bar in chart.bars] == [True, False, False]


def test_no_votes_draws_empty_bars_not_a_division_by_zero():
    chart = bar_chart([("Happy", 0, None), ("Sad", 0, None)])
    assert [bar.bar_width for bar in chart.bars] == [0, 0]
    assert not any(bar.leader for bar in chart.bars)
    assert bar_chart([]).bars == [] and bar_chart([]).height > 0


def test_long_labels_are_shortened_and_kept_whole_for_the_tooltip():
    text = "Keep recording when a call comes in, and mark where the call began and ended"
    bar = bar_chart([(text, 3, None)]).bars[0]
    assert bar.label.endswith("…") and len(bar.label) <= 54
    assert bar.title == text
    assert shorten("short") == "short"


def test_the_histogram_has_a_column_per_score_standing_on_the_baseline():
    labels = [str(n) for n in range(1, 11)]
    counts = [0, 0, 0, 0, 1, 2, 4, 8, 2, 1]
    chart = histogram(labels, counts)
    assert [c.label for c in chart.columns] == labels
    tallest = chart.columns[7]
    assert tallest.height == PLOT_HEIGHT
    assert chart.columns[6].height == PLOT_HEIGHT / 2
    assert chart.columns[0].height == 0
    for column in chart.columns:
        assert column.y + column.height == pytest.approx(chart.baseline)
    # Left to right, inside the chart, none overlapping.
    xs = [c.x for c in chart.columns]
    assert xs == sorted(xs)
    assert all(a.x + a.width < b.x for a, b in itertools.pairwise(chart.columns))
    assert chart.columns[-1].x + chart.columns[-1].width <= chart.width


def test_the_histogram_needs_a_count_per_label():
    with pytest.raises(ValueError):
        histogram(["1", "2"], [1])


def test_the_line_goes_up_with_the_value_and_breaks_where_a_build_has_no_ratings():
    chart = line_chart(
        [("26.11.6", 6.0), ("26.11.13", None), ("26.11.20", 8.0), ("26.11.27", 10.0)],
        top=10,
        current=3,
        grid=(5, 10),
    )
    ys = [p.y for p in chart.points]
    assert ys[1] is None
    assert ys[3] == chart.baseline - PLOT_HEIGHT  # 10 of 10 is at the top
    assert ys[0] is not None and ys[2] is not None and ys[0] > ys[2] > ys[3]
    # No line through the build without ratings: a lone point, then a segment of two.
    assert chart.lines == [f"{chart.points[2].x},{ys[2]} {chart.points[3].x},{ys[3]}"]
    assert [p.current for p in chart.points] == [False, False, False, True]
    assert [mark for _, _, mark in chart.gridlines] == ["5", "10"]
    assert chart.gridlines[1][0] == chart.baseline - PLOT_HEIGHT
    xs = [p.x for p in chart.points]
    assert xs == sorted(xs) and xs[0] > 0 and xs[-1] < chart.width
