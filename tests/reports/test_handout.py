"""The large-type home exercise handout, and charts and the body chart inside letters."""

from __future__ import annotations

import dataclasses

from reports.drawings import exercise_codes
from reports.letters import render_letter
from tests.reports.pdf_text import all_text, page_texts, reader
from tests.reports.samples import gp_letter, handout, heel_raise_figure
from workstation.assessment.body_chart import region
from workstation.clinical.exercises import EXERCISES
from workstation.letters import document as doc

_RISE = "Rise up onto your toes, then lower slowly."


def _card(code: str, index: int = 0, instructions: str = _RISE) -> doc.ExerciseCard:
    return doc.ExerciseCard(code, f"Exercise number {index}", instructions, f"{index + 2} sets of 10", f"Note {index}")


def test_each_card_prints_its_name_instructions_dose_and_note() -> None:
    text = all_text(render_letter(handout()).pdf)
    assert "Home exercise programme" in text
    assert "Double-leg calf raise" in text
    assert "Stand with both feet flat and your fingertips on a wall." in text
    assert "How much: 3 sets of 15, daily" in text
    assert "Note: Stop if the pain goes above 3 out of 10." in text
    assert "How much: 3 sets of 10" in text


def test_every_library_exercise_has_a_card_with_its_drawing() -> None:
    cards = tuple(doc.ExerciseCard(e.code, e.name, e.instructions, "3 sets of 10") for e in EXERCISES)
    rendered = render_letter(handout(cards=cards))
    text = all_text(rendered.pdf)
    assert all(exercise.name in text for exercise in EXERCISES)
    assert {exercise.code for exercise in EXERCISES} <= set(exercise_codes())


def test_cards_are_never_split_across_pages() -> None:
    code = EXERCISES[0].code
    rendered = render_letter(handout(cards=tuple(_card(code, index) for index in range(14))))
    pages = page_texts(rendered.pdf)
    assert rendered.pages >= 3
    for index in range(14):
        holding = [text for text in pages if f"Exercise number {index} " in text]
        assert len(holding) == 1
        assert f"{index + 2} sets of 10" in holding[0]
        assert f"Note {index}" in holding[0]


def test_a_card_longer_than_a_page_splits_rather_than_failing() -> None:
    instructions = "Keep the knee straight and rise slowly. " * 250
    rendered = render_letter(handout(cards=(_card(EXERCISES[0].code, 0, instructions),)))
    assert rendered.pages >= 2
    assert "How much: 2 sets of 10" in all_text(rendered.pdf)


def test_an_exercise_without_a_drawing_still_prints_its_card() -> None:
    text = all_text(render_letter(handout(cards=(_card("retired_exercise"),))).pdf)
    assert "Exercise number 0" in text
    assert "How much: 2 sets of 10" in text


def test_the_handout_is_large_type() -> None:
    sizes: dict[str, float] = {}

    def remember(text: str, _cm: object, tm: list[float], _font: object, size: float) -> None:
        if text.strip():
            sizes[text.strip()] = size * tm[3]

    for page in reader(render_letter(handout()).pdf).pages:
        page.extract_text(visitor_text=remember)
    assert sizes["3 sets of 10"] >= 14
    assert sizes["Your exercises"] > 14


def test_charts_print_with_their_title_and_caption() -> None:
    text = all_text(render_letter(gp_letter(extra_blocks=(heel_raise_figure(),))).pdf)
    assert "Heel raise (reps)" in text
    assert "Heel-raise repetitions over time." in text


def test_a_body_chart_prints_with_its_caption() -> None:
    figure = doc.BodyChartFigure(("left-upper-medial",), caption="Where it hurts, as marked on 1 December.")
    text = all_text(render_letter(gp_letter(extra_blocks=(figure,))).pdf)
    assert "Where it hurts, as marked on 1 December." in text
    assert region("left-upper-medial").label in text


def test_a_large_type_letter_with_a_chart_renders() -> None:
    letter = handout(cards=())
    chart_section = doc.Section(letter.sections[0].key, "Your progress", (heel_raise_figure(),))
    rendered = render_letter(dataclasses.replace(letter, sections=(chart_section,)))
    assert "Your progress" in all_text(rendered.pdf)


def test_a_section_heading_stays_on_the_page_of_its_figure() -> None:
    letter = handout()
    chart_section = doc.Section(letter.sections[0].key, "Your progress", (heel_raise_figure(),))
    sections = (*letter.sections, chart_section)
    pages = page_texts(render_letter(dataclasses.replace(letter, sections=sections)).pdf)
    assert len(pages) == 2
    assert "Your progress" not in pages[0]
    assert "Your progress Heel raise (reps)" in pages[1]
