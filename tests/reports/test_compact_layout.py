"""A compact layout: charts side by side, short fields two to a line, compact tables, a two-line letterhead,
compact exercise cards in large type, and the small print after the signature."""

from __future__ import annotations

import dataclasses

import pytest

from reports.letter_pages import FRAME_WIDTH, LEFT_MARGIN
from reports.letters import render_letter
from reports.styles import letter_styles
from tests.reports.pdf_text import all_text, page_texts, run_of, text_runs
from tests.reports.samples import gp_letter, handout, heel_raise_figure
from workstation.clinical.exercises import EXERCISES
from workstation.letters import document as doc
from workstation.letters.records import SectionKey


def _lsi_figure() -> doc.ChartFigure:
    figure = heel_raise_figure()
    chart = dataclasses.replace(figure.chart, key="lsi", title="Limb symmetry index (%)")
    return dataclasses.replace(figure, chart=chart, caption="LSI over time.")


def test_two_charts_in_a_row_print_side_by_side_each_half_the_width() -> None:
    runs = text_runs(render_letter(gp_letter(extra_blocks=(heel_raise_figure(), _lsi_figure()))).pdf)
    heel, lsi = run_of(runs, "Heel raise (reps)"), run_of(runs, "Limb symmetry index (%)")
    assert heel.page == lsi.page and heel.y == pytest.approx(lsi.y, abs=0.5)
    assert heel.x == pytest.approx(LEFT_MARGIN, abs=1)
    assert lsi.x == pytest.approx(LEFT_MARGIN + FRAME_WIDTH / 2, abs=FRAME_WIDTH * 0.05)
    captions = run_of(runs, "Heel-raise repetitions over time."), run_of(runs, "LSI over time.")
    assert captions[0].y == pytest.approx(captions[1].y, abs=0.5)


def test_a_single_chart_keeps_the_full_width() -> None:
    letter = gp_letter(extra_blocks=(heel_raise_figure(), doc.Text("Between the charts."), _lsi_figure()))
    runs = text_runs(render_letter(letter).pdf)
    heel, lsi = run_of(runs, "Heel raise (reps)"), run_of(runs, "Limb symmetry index (%)")
    assert heel.x == pytest.approx(lsi.x, abs=1) and (heel.page, heel.y) != (lsi.page, lsi.y)


def _fields_letter(rows: tuple[tuple[str, str], ...]) -> doc.Letter:
    return gp_letter(sections=(doc.Section(SectionKey.HISTORY, "Presenting history", (doc.Fields(rows),)),))


def test_short_fields_share_a_line_and_a_long_one_keeps_its_own_in_its_place() -> None:
    long_value = "Gradual, no single incident, over two weeks of hill repeats and a new pair of racing flats"
    rows = (("Onset", long_value), ("Activity", "Steady running"), ("Where", "Mid calf"),
            ("Felt", "Tightening"), ("Notes", "Review."))  # fmt: skip
    runs = text_runs(render_letter(_fields_letter(rows)).pdf)
    onset, activity, where = run_of(runs, "Onset"), run_of(runs, "Activity"), run_of(runs, "Where")
    felt, notes = run_of(runs, "Felt"), run_of(runs, "Notes")
    assert activity.y == pytest.approx(where.y) and felt.y == pytest.approx(notes.y)  # two to a line
    assert activity.x < where.x and felt.x < notes.x
    assert onset.y > activity.y > felt.y  # the long row on its own line, first, as given
    assert where.x > LEFT_MARGIN + FRAME_WIDTH / 2 - 1


def test_fields_with_long_values_stay_one_to_a_line() -> None:
    rows = tuple((f"Label {index}", "A sentence long enough to need more than half of the width of the page.")
                 for index in range(3))  # fmt: skip
    runs = text_runs(render_letter(_fields_letter(rows)).pdf)
    assert len({round(run_of(runs, f"Label {index}").y) for index in range(3)}) == 3


def test_a_compact_table_prints_in_smaller_type_than_a_findings_table() -> None:
    wells = doc.Table(("Wells item", "Answer", "Points"), (("Entire leg swollen", "No", "0"),), compact=True)
    letter = gp_letter(extra_blocks=(wells,))
    runs = text_runs(render_letter(letter).pdf)
    compact, normal = run_of(runs, "Entire leg swollen"), run_of(runs, "Knee-to-wall (cm)")
    assert compact.size < normal.size
    assert compact.size >= 8  # still readable


def test_the_letterhead_is_two_lines_address_then_phone_and_email() -> None:
    text = page_texts(render_letter(gp_letter()).pdf)[0]
    assert "12 Mill Lane, Bristol BS1 4AB Tel 0117 496 0000 · clinic@riverside.example" in text


# --- the handout's cards ------------------------------------------------------------------------------------------


def _library_cards(count: int) -> tuple[doc.ExerciseCard, ...]:
    """Cards as a handout prints them: the library's own words, a dose in words and a note."""
    return tuple(doc.ExerciseCard(e.code, e.name, e.instructions, "3 sets of 10 repetitions, daily",
                                  "Each side") for e in EXERCISES[:count])  # fmt: skip


def test_two_cards_fit_on_the_first_page_and_three_on_each_page_after() -> None:
    cards = _library_cards(8)
    pages = page_texts(render_letter(handout(cards=cards)).pdf)
    on_page = [[card.name for card in cards if f"{card.name} " in text] for text in pages]
    assert len(on_page[0]) >= 2
    assert all(len(names) >= 3 for names in on_page[1:-1])
    assert sum(len(names) for names in on_page) == len(cards)


def test_a_short_dose_and_note_share_one_line_and_long_ones_do_not() -> None:
    short = doc.ExerciseCard(EXERCISES[0].code, "Short one", "Rise slowly.", "3 sets of 10", "Each side")
    dose = "2 sets, as many as feel comfortable, 2-3 days a week, on days you do not run"
    long = doc.ExerciseCard(EXERCISES[1].code, "Long one", "Rise slowly.", dose, "As many as comfortable; aim for 30")
    runs = text_runs(render_letter(handout(cards=(short, long))).pdf)
    assert "How much: 3 sets of 10 · Note: Each side" in all_text(render_letter(handout(cards=(short,))).pdf)
    assert run_of(runs, "Note:").y == pytest.approx(run_of(runs, "How much:").y)
    long_notes = [run for run in runs if run.text.startswith("Note:")][1]
    long_dose = [run for run in runs if run.text.startswith("How much:")][1]
    assert long_notes.y < long_dose.y


def test_card_text_is_large_type() -> None:
    cards = _library_cards(1)
    runs = text_runs(render_letter(handout(cards=cards)).pdf)
    assert run_of(runs, cards[0].instructions.split()[0]).size >= 14
    assert run_of(runs, cards[0].name).size > 14
    assert letter_styles(True).card_body.fontSize >= 14


# --- the sign-off -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("words", range(440, 620, 9))  # an early layout left the small print alone here
def test_the_small_print_follows_the_signature_where_there_is_room(words: int) -> None:
    # The small print flows after the signature rather than being kept with it (a kept block that tall left
    # most of a page empty): test_page_breaks checks that the signature never has a page to itself.
    letter = gp_letter(free_text="word " * words)
    last = page_texts(render_letter(letter).pdf)[-1]
    assert "not a medical diagnosis." in last
    assert "Yours sincerely," in last and "Sam Carter" in last
