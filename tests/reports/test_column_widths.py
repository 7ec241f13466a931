"""reports.column_widths: a findings table's columns get room by how wide their text is."""

from __future__ import annotations

import pytest

from reports.column_widths import column_widths


def _measure(text: str) -> float:
    return 5.0 * len(text)  # a monospaced stand-in: 5 points a character


def test_columns_that_fit_on_one_line_share_the_width_in_proportion() -> None:
    widths = column_widths([("Test", "Left"), ("Heel raise", "28")], 2, 200, _measure, 0)
    assert widths == pytest.approx([200 * 50 / 70, 200 * 20 / 70])


def test_every_column_gets_its_longest_word_before_sentences_get_more() -> None:
    sentence = "Positive: reproduces calf pain on dorsiflexion and neck flexion"
    widths = column_widths([("Difference", sentence)], 2, 200, _measure, 4)
    assert widths[0] == pytest.approx(5 * len("Difference") + 4)
    assert sum(widths) == pytest.approx(200)


def test_when_even_the_words_do_not_fit_columns_shrink_in_proportion() -> None:
    widths = column_widths([("a" * 40, "b" * 40)], 2, 100, _measure, 0)
    assert widths == pytest.approx([50, 50])


def test_short_rows_and_empty_cells_are_allowed() -> None:
    widths = column_widths([("Test", "Left", "Right"), ("Wells",), ("", "", "")], 3, 300, _measure, 6)
    assert len(widths) == 3
    assert sum(widths) == pytest.approx(300)
    assert all(width >= 6 for width in widths)


def test_multi_line_cells_are_measured_by_their_longest_line() -> None:
    widths = column_widths([("4 High Street\nBristol", "x")], 2, 1000, _measure, 0)
    assert widths[0] / widths[1] == pytest.approx(len("4 High Street") / 1)


def test_a_short_cell_is_kept_on_one_line_when_there_is_room() -> None:
    sentence = "Positive: reproduces calf pain on dorsiflexion and neck flexion " * 3
    widths = column_widths([("50 %", sentence)], 2, 300, _measure, 0)
    assert widths[0] == pytest.approx(5 * len("50 %"))


def test_a_column_a_little_short_gets_its_line_and_the_sentences_share_the_rest_by_need() -> None:
    value = "9.1 cm (32.8°)"  # too long to count as short, yet it should not wrap when the room is there
    long_a, long_b = " ".join(["word"] * 40), " ".join(["word"] * 10)
    widths = column_widths([(value, long_a, long_b)], 3, 400, _measure, 0)
    assert widths[0] == pytest.approx(5 * len(value))
    extra_a = widths[1] - 5 * len("word")
    extra_b = widths[2] - 5 * len("word")
    assert extra_a / extra_b == pytest.approx((5 * len(long_a) - 20) / (5 * len(long_b) - 20))
    assert sum(widths) == pytest.approx(400)
