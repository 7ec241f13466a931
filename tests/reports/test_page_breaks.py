"""Page breaks a reader expects: a table splits with at least two rows on each page (a small one moves whole),
its footnote stays under its last rows, a heading stays with what follows, the signature never has a page to
itself, and a letterhead line breaks between items, never after a separator.

Each layout rule is checked over a sweep of filler lengths, so that the table, the footnote or the sign-off
meets the foot of a page somewhere in the sweep: a fixed letter would only test one lucky position.
"""

from __future__ import annotations

import pytest

from reports.letter_parts import SEPARATOR, packed
from reports.letters import render_letter
from reports.styles import letter_styles
from tests.reports.pdf_text import page_texts, reader
from tests.reports.samples import gp_letter, handout
from workstation.letters import document as doc
from workstation.letters.records import SectionKey

FILLER = range(280, 520, 11)  # words of history: moves what follows across the foot of page 1
ROWS = tuple(f"Item-{letter}" for letter in "ABCDEFGHIJ")
FOOTNOTE = "Footnote-of-the-table."


def _letter(words: int, *blocks: doc.Block) -> doc.Letter:
    sections = (
        doc.Section(SectionKey.HISTORY, "Presenting history", (doc.Text("word " * words),)),
        doc.Section(SectionKey.FINDINGS, "Findings", blocks),
        doc.Section(SectionKey.GOALS, "Concerns and goals", (doc.Text("Last-words-of-the-letter."),)),
    )
    return gp_letter(sections=sections)


def _table(rows: tuple[str, ...], caption: str = FOOTNOTE) -> doc.Table:
    return doc.Table(("Test", "Left", "Right"), tuple((row, "12", "14") for row in rows), caption=caption)


def _pages_with(pages: list[str], word: str) -> list[int]:
    return [number for number, text in enumerate(pages) if word in text]


@pytest.mark.parametrize("words", FILLER)
def test_a_split_table_keeps_two_rows_on_each_page_and_its_footnote_under_the_last(words: int) -> None:
    pages = page_texts(render_letter(_letter(words, _table(ROWS))).pdf)
    on = {row: _pages_with(pages, f"{row} ") for row in ROWS}
    assert all(len(found) == 1 for found in on.values())
    for page in {found[0] for found in on.values()}:
        assert sum(found == [page] for found in on.values()) >= 2, f"a lone row on page {page + 1}"
    (footnote,) = _pages_with(pages, FOOTNOTE)
    assert on[ROWS[-1]] == on[ROWS[-2]] == [footnote]
    assert "Findings" in pages[on[ROWS[0]][0]], "the heading stays with the first rows"


@pytest.mark.parametrize("words", FILLER)
def test_a_small_table_moves_whole(words: int) -> None:
    pages = page_texts(render_letter(_letter(words, _table(ROWS[:3]))).pdf)
    assert len({page for row in ROWS[:3] for page in _pages_with(pages, f"{row} ")}) == 1
    assert _pages_with(pages, FOOTNOTE) == _pages_with(pages, f"{ROWS[0]} ")


@pytest.mark.parametrize("words", FILLER)
def test_two_plan_rows_never_leave_one_alone_at_the_top_of_a_page(words: int) -> None:
    fields = doc.Fields((("Load-advice", "Build up gradually. " * 12), ("Return-to-running", "Phase 3.")))
    pages = page_texts(render_letter(_letter(words, fields)).pdf)
    assert _pages_with(pages, "Load-advice") == _pages_with(pages, "Return-to-running")


@pytest.mark.parametrize("words", range(280, 900, 7))
def test_the_signature_never_has_a_page_to_itself(words: int) -> None:
    pages = page_texts(render_letter(gp_letter(free_text="word " * words)).pdf)
    (closing,) = _pages_with(pages, "Yours sincerely,")
    assert "Sam Carter Physiotherapist" in pages[closing]
    assert "Back to running a 10 km in spring." in pages[closing]  # the letter's last words go with it


def test_the_closing_and_signature_take_the_room_left_while_the_small_print_flows() -> None:
    """The care-plan report of the review: page 2 had room for the closing and signature but not for the copies
    and small print as well, and the whole block went to page 3. Now the signature stays on page 2."""
    for words in range(700, 1000, 3):
        pages = page_texts(render_letter(gp_letter(free_text="word " * words)).pdf)
        if "not a medical diagnosis." not in pages[_pages_with(pages, "Yours sincerely,")[0]]:
            break
    else:
        pytest.fail("no length put the small print after a page break")
    (closing,) = _pages_with(pages, "Yours sincerely,")
    assert closing == len(pages) - 2 and "Sam Carter" in pages[closing]


def test_a_table_too_tall_for_any_page_still_splits() -> None:
    long_cell = "A very long typed note. " * 900
    letter = _letter(10, doc.Fields((("Notes", long_cell), ("After", "Short."))), _table(("Only-row",)))
    rendered = render_letter(letter)
    assert rendered.pages >= 3 and "Only-row" in " ".join(page_texts(rendered.pdf))


# --- a letterhead or signature line breaks between items --------------------------------------------------------


def test_a_long_letterhead_line_breaks_between_items_never_after_a_separator() -> None:
    letter = handout()
    head = doc.Letterhead("Riverside Physiotherapy", ("Riverside House", "12 Mill Lane", "Bath BA2 4QR"),
                          "01225 555 0100", "reception@riverside-physiotherapy-and-sports-injury.example")  # fmt: skip
    rendered = render_letter(doc.Letter(**{**_fields(letter), "letterhead": head}))
    lines = [line.strip() for line in reader(rendered.pdf).pages[0].extract_text().splitlines()]
    assert not any(line.endswith("·") or line.startswith("·") for line in lines)
    assert "Tel 01225 555 0100" in lines and "reception@riverside-physiotherapy-and-sports-injury.example" in lines


def _fields(letter: doc.Letter) -> dict[str, object]:
    return {name: getattr(letter, name) for name in doc.Letter.__dataclass_fields__}


def test_packing_joins_what_fits_and_breaks_only_between_items() -> None:
    style = letter_styles(True).letterhead_line
    assert packed(["Tel 01225 555 0100", "a@b.example"], SEPARATOR, style, 1000) == ["Tel 01225 555 0100 · a@b.example"]
    assert packed(["Tel 01225 555 0100", "a@b.example"], SEPARATOR, style, 150) == ["Tel 01225 555 0100", "a@b.example"]
    assert packed(["", "Only"], SEPARATOR, style, 10) == ["Only"]
    assert packed([], SEPARATOR, style, 100) == []
