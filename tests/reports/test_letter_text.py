"""User text prints literally in every place of a letter (RELIABILITY.md H3 markup injection, H4 Unicode names).

Each name of the corpus goes into the patient's name (identifiers block and footer), the recipient (address
and salutation), free text, a findings-table cell and a field value; the PDF is read back with pypdf.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports.letters import render_letter
from tests.reports.corpus import NAMES, RIGHT_TO_LEFT
from tests.reports.pdf_text import all_text, logical, page_texts, squeeze
from tests.reports.samples import gp_letter
from workstation.letters import document as doc


def _everywhere(name: str) -> doc.Letter:
    return gp_letter(patient_name=name, recipient_name=name, free_text=f"Seen with {name} today.",
                     table_cell=name, field_value=name)


# The name's own places: identifiers, footer on each of 2 pages, address, salutation, text, cell, field.
_PLACES = 8


@pytest.mark.parametrize("name", [name for name in NAMES if name not in RIGHT_TO_LEFT])
def test_left_to_right_names_print_exactly_as_typed_in_every_place(name: str) -> None:
    rendered = render_letter(_everywhere(name))
    text = all_text(rendered.pdf)
    assert rendered.pages == 2
    assert text.count(squeeze(name)) >= _PLACES
    assert f"Seen with {squeeze(name)} today." in text


@pytest.mark.parametrize("name", RIGHT_TO_LEFT)
def test_right_to_left_names_read_back_in_logical_order_in_every_place(name: str) -> None:
    text = logical(all_text(render_letter(_everywhere(name)).pdf))
    assert text.count(logical(name)) >= _PLACES


def test_markup_in_user_text_is_not_obeyed() -> None:
    letter = gp_letter(patient_name="<b>bold</b>", free_text="<font color=red>x</font> <para> &amp; ]]>",
                       table_cell="<i>slanted</i>")
    text = all_text(render_letter(letter).pdf)
    assert "<b>bold</b>" in text
    assert "<font color=red>x</font> <para> &amp; ]]>" in text
    assert "<i>slanted</i>" in text


def test_a_bare_less_than_sign_does_not_fail_the_letter() -> None:
    # Unescaped, ReportLab raises on "0.1 <A <0.9" (RELIABILITY.md H3 probe).
    text = all_text(render_letter(gp_letter(free_text="LSI 0.1 <A <0.9", table_cell="<0.9")).pdf)
    assert "LSI 0.1 <A <0.9" in text
    assert "<0.9" in text


def test_line_breaks_in_user_text_become_line_breaks() -> None:
    first, _ = (page.splitlines() for page in _raw_pages(render_letter(gp_letter(free_text="Ann\nMarie")).pdf))
    assert "Ann" in first
    assert "Marie" in first


def _raw_pages(pdf: bytes) -> list[str]:
    from tests.reports.pdf_text import reader

    return [page.extract_text() for page in reader(pdf).pages]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=1, max_size=40))
def test_any_printable_ascii_prints_literally(text: str) -> None:
    printed = all_text(render_letter(gp_letter(free_text=f"[{text}]", tier=None)).pdf)
    assert squeeze(f"[{text}]") in printed


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=60))
def test_any_text_at_all_renders(text: str) -> None:
    letter = gp_letter(patient_name=text, free_text=text, table_cell=text, field_value=text, tier=None)
    assert render_letter(letter).pages >= 1


def test_a_long_table_cell_wraps_inside_its_column() -> None:
    long_cell = " ".join(["reproduces calf pain on dorsiflexion"] * 12)
    pages = page_texts(render_letter(gp_letter(table_cell=long_cell)).pdf)
    assert squeeze(long_cell) in " ".join(pages)
