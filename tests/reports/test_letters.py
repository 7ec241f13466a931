"""reports.letters.render_letter: metadata, page numbering, urgency banners, images, sections, tables."""

from __future__ import annotations

import dataclasses
import io
import logging

import pytest

from reports.letters import creator, render_letter
from reports.styles import TIER_LOOKS, letter_styles
from tests.reports.pdf_text import all_text, page_texts, reader
from tests.reports.samples import BANNER_TITLES, gp_letter, png_bytes
from workstation.letters import document as doc
from workstation.letters.records import LetterKind, SectionKey

_PATIENT = "Zoë Nguyễn"


def _long_sections(count: int) -> tuple[doc.Section, ...]:
    paragraph = "The calf was tender over the medial gastrocnemius and the heel raise was painful. " * 6
    return tuple(
        doc.Section(SectionKey.HISTORY, f"Section number {index}", (doc.Text(paragraph), doc.Text(paragraph)))
        for index in range(count)
    )


def test_metadata_is_the_letters_title_author_and_subject_and_never_the_patient() -> None:
    pdf = reader(render_letter(gp_letter(patient_name=_PATIENT)).pdf)
    metadata = pdf.metadata
    assert metadata is not None
    assert metadata.title == "Referral to GP"
    assert metadata.author == "Sam Carter"
    assert metadata.subject == "Calf assessment of 1 December 2026"
    assert metadata.creator == creator()
    assert creator().startswith("CalfDesk")
    assert not metadata.get("/Keywords")
    assert str(pdf.root_object["/Lang"]) == "en-GB"
    assert all(_PATIENT not in str(value) and "Nguy" not in str(value) for value in metadata.values())
    assert "/Metadata" not in pdf.root_object  # no XMP packet that could carry anything else


def test_every_page_is_numbered_with_the_total_and_carries_the_footer_and_reference() -> None:
    rendered = render_letter(gp_letter(sections=_long_sections(9)))
    pages = page_texts(rendered.pdf)
    assert rendered.pages == len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert f"{_PATIENT} · DOB 3 March 1980 · NHS 943 476 5919" in text
        assert "CD-1A2B3C4D" in text
    assert all(f"Section number {index}" in " ".join(pages) for index in range(9))


def test_the_reference_is_added_to_the_footer_when_the_footer_lacks_it() -> None:
    letter = dataclasses.replace(gp_letter(), footer="Zoë Nguyễn", reference="CD-99")
    assert "Zoë Nguyễn · Ref CD-99" in page_texts(render_letter(letter).pdf)[0]


def test_a_one_page_letter_says_page_1_of_1() -> None:
    letter = gp_letter(sections=(doc.Section(SectionKey.REQUEST, "Reason", (doc.Text("For information only."),)),))
    rendered = render_letter(letter)
    assert rendered.pages == 1
    assert "Page 1 of 1" in all_text(rendered.pdf)


@pytest.mark.parametrize("tier", ["emergency", "urgent", "soon", "routine"])
def test_each_tier_shows_its_banner_on_page_one(tier: doc.Tier) -> None:
    first, *_ = page_texts(render_letter(gp_letter(tier=tier)).pdf)
    assert BANNER_TITLES[tier] in first
    assert "Suspected deep vein thrombosis (Wells 2: likely)." in first
    assert first.index(BANNER_TITLES[tier]) < first.index("Dear Dr A Patel")


@pytest.mark.parametrize("tier", ["emergency", "urgent"])
def test_emergency_and_urgent_letters_repeat_the_tier_mark_on_later_pages(tier: doc.Tier) -> None:
    first, *later = page_texts(render_letter(gp_letter(tier=tier, sections=_long_sections(6))).pdf)
    assert later
    assert all(TIER_LOOKS[tier].label in text for text in later)
    assert TIER_LOOKS[tier].label not in first.replace(BANNER_TITLES[tier], "")  # page one has the banner instead


@pytest.mark.parametrize("tier", ["soon", "routine", None])
def test_other_letters_carry_no_tier_mark(tier: doc.Tier | None) -> None:
    _, *later = page_texts(render_letter(gp_letter(tier=tier, sections=_long_sections(6))).pdf)
    assert later
    assert all(look.label not in text for look in TIER_LOOKS.values() for text in later)


def test_banner_colours_are_fixed_per_tier() -> None:
    assert TIER_LOOKS["emergency"].background.hexval() == "0x8b0000"
    assert TIER_LOOKS["emergency"].text.hexval() == "0xffffff"
    assert len({look.background.hexval() for look in TIER_LOOKS.values()}) == 4


@pytest.mark.parametrize(
    "bad",
    [b"not an image", png_bytes()[:60], b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", b"\xff\xd8\xff\xe0broken jpeg", b""],
    ids=["text", "truncated-png", "gif", "broken-jpeg", "empty"],
)
def test_a_bad_logo_or_signature_is_left_out_and_the_letter_still_renders(
    bad: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="reports.letter_images"):
        rendered = render_letter(gp_letter(logo=bad, signature_image=bad))
    pdf = reader(rendered.pdf)
    assert sum(len(page.images) for page in pdf.pages) == 0
    assert "Riverside Physiotherapy" in all_text(rendered.pdf)
    assert "Sam Carter" in all_text(rendered.pdf)
    assert all(_PATIENT not in record.getMessage() for record in caplog.records)


def test_good_logo_and_signature_images_are_drawn() -> None:
    from PIL import Image

    jpeg = _jpeg_bytes()
    rendered = render_letter(gp_letter(logo=png_bytes(3000, 1000), signature_image=jpeg))
    images = [image for page in reader(rendered.pdf).pages for image in page.images]
    assert len(images) == 2
    assert max(Image.open(io.BytesIO(image.data)).width for image in images) <= 800  # a huge logo is scaled down


def _jpeg_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (200, 60), 40).save(buffer, format="JPEG")
    return buffer.getvalue()


def test_flagged_rows_are_marked_in_text_not_only_in_colour() -> None:
    text = all_text(render_letter(gp_letter()).pdf)
    assert "▲ Single-leg heel raise (reps)" in text
    assert "▲ Wells score (DVT)" in text
    assert "▲ Knee-to-wall" not in text
    assert "▲ marks a value past its threshold." in text
    assert "LSI: limb symmetry index" in text


def test_a_table_without_flags_has_no_legend() -> None:
    table = doc.Table(header=("Test", "Left"), rows=(("Heel raise", "30"),))
    letter = gp_letter(sections=(doc.Section(SectionKey.FINDINGS, "Findings", (table,)),))
    text = all_text(render_letter(letter).pdf)
    assert "Heel raise 30" in text
    assert "▲" not in text


def test_table_header_repeats_when_a_table_runs_onto_the_next_page() -> None:
    rows = tuple((f"Measure {index}", str(index), str(index + 1)) for index in range(80))
    table = doc.Table(header=("Test", "Left", "Right"), rows=rows)
    pages = page_texts(render_letter(gp_letter(sections=(doc.Section(SectionKey.FINDINGS, "F", (table,)),))).pdf)
    with_rows = [text for text in pages if "Measure" in text]
    assert len(with_rows) >= 2
    assert all("Test Left Right" in text for text in with_rows)
    assert all(f"Measure {index} " in " ".join(pages) for index in range(80))


def test_sections_print_in_order_and_only_those_given() -> None:
    sections = (
        doc.Section(SectionKey.REQUEST, "Reason for referral", (doc.Text("Please review."),)),
        doc.Section(SectionKey.PLAN, "Treatment so far and plan", (doc.Bullets(("Rest", "Calf raises")),)),
    )
    text = all_text(render_letter(gp_letter(sections=sections)).pdf)
    assert text.index("Reason for referral") < text.index("Please review.") < text.index("Treatment so far")
    assert "• Rest • Calf raises" in text
    assert "Presenting history" not in text
    assert "Working impression" not in text


def test_the_letter_ends_with_signature_copies_and_small_print() -> None:
    text = all_text(render_letter(gp_letter()).pdf)
    closing = text.index("Yours sincerely,")
    assert closing < text.index("Sam Carter Physiotherapist · HCPC registration PH123456 sam.carter@riverside.example")
    assert text.index("cc: Patient") > closing
    assert "not a medical diagnosis." in text


def test_a_letter_with_nothing_but_its_letterhead_still_renders() -> None:
    letter = doc.Letter(
        kind=LetterKind.PROGRESS, title="Progress report to GP", subject="", author="",
        letterhead=doc.Letterhead(""), date_lines=(), patient_lines=(), sections=(), signature=None,
    )
    rendered = render_letter(letter)
    assert rendered.pages == 1
    assert "Progress report to GP" in all_text(rendered.pdf)
    assert "Page 1 of 1" in all_text(rendered.pdf)


def test_a_huge_paragraph_flows_over_pages_instead_of_failing() -> None:
    huge = "word " * 6000
    letter = gp_letter(free_text=huge, field_value=" ".join(["Gradual onset"] * 500))
    assert render_letter(letter).pages >= 4


def test_large_type_is_at_least_14_point_with_bigger_headings() -> None:
    normal, large = letter_styles(False), letter_styles(True)
    assert normal.body.fontSize == 10  # DejaVu Sans: as large on the page as Arial 11
    assert large.body.fontSize >= 14
    assert large.heading.fontSize > large.body.fontSize
    assert large.title.fontSize > large.heading.fontSize
    assert large.body.leading / large.body.fontSize >= normal.body.leading / normal.body.fontSize


def test_large_type_letters_print_their_body_at_large_size() -> None:
    letter = dataclasses.replace(gp_letter(free_text="Big words here."), large_type=True)
    sizes: dict[str, float] = {}

    def remember(text: str, _cm: object, tm: list[float], _font: object, size: float) -> None:
        if text.strip():
            sizes[text.strip()] = size * tm[3]

    for page in reader(render_letter(letter).pdf).pages:
        page.extract_text(visitor_text=remember)
    assert sizes["Big words here."] >= 14


def test_the_clinicians_extra_text_comes_after_the_sections_and_before_the_closing() -> None:
    letter = dataclasses.replace(gp_letter(), extra="Happy to discuss <by phone> & email.")
    text = all_text(render_letter(letter).pdf)
    extra = text.index("Happy to discuss <by phone> & email.")
    assert text.index("Back to running a 10 km in spring.") < extra < text.index("Yours sincerely,")


def test_letters_rendered_on_several_threads_at_once_each_carry_their_own_patient() -> None:
    from concurrent.futures import ThreadPoolExecutor

    names = [f"Patient{index} Zoë" for index in range(12)]
    with ThreadPoolExecutor(4) as pool:
        pdfs = list(pool.map(lambda name: render_letter(gp_letter(patient_name=name)).pdf, names))
    for name, pdf in zip(names, pdfs, strict=True):
        words = set(all_text(pdf).split())
        assert f"Patient{names.index(name)}" in words
        assert {other.split()[0] for other in names if other != name}.isdisjoint(words)
