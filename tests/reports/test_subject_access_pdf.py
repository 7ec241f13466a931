"""The subject-access summary as PDF (RELIABILITY.md G1): word for word the text summary, in the letter fonts,
so every name of the H3/H4 corpus prints exactly as typed and none is read as markup; "Page N of M" and the
export's footer on every page; the metadata names the patient by id, never by name. Read back with pypdf."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import pytest

from reports.subject_access import render_summary_pdf
from tests.reports.corpus import NAMES, RIGHT_TO_LEFT
from tests.reports.pdf_text import logical, page_texts, reader, squeeze
from workstation.privacy.subject_access import PatientFile, summary, summary_text

EXPORTED_AT = datetime(2026, 12, 1, 9, 0, 30, tzinfo=UTC)
FOOTER = "Subject access export · patient 12 · exported 2026-12-01 09:00 UTC"
LEFT_TO_RIGHT = tuple(name for name in NAMES if name not in RIGHT_TO_LEFT)


def _patient_file(*, names: tuple[str, ...] = NAMES, observations: int = 3) -> PatientFile:
    """A patient whose every text field holds a name of the corpus, with rows in every section."""
    patient: dict[str, Any] = {"id": 12, "date_of_birth": date(1990, 4, 2), "gp_consent": True, "nhs_number": None}
    patient |= {f"name_{number}": name for number, name in enumerate(names)}
    episodes = [{"id": 3, "complaint": "Left calf pain after <b>x</b> & a hill", "side": "left",
                 "onset_date": date(2026, 10, 1), "status": "open", "discharge_date": None}]  # fmt: skip
    measured = [
        {"id": 100 + i, "observed_on": date(2026, 10, 2), "code": "heel_raise", "side": "left", "value": 18 + i,
         "unit": "reps", "protocol": "single-leg, to fatigue", "corrects_id": None}
        for i in range(observations)
    ]  # fmt: skip
    letters = [{"id": 4, "uid": "3f2a9c1e-77b0-4c1d-9e2f-0a1b2c3d4e5f", "title": "Referral letter to GP",
                "finalised_at": datetime(2026, 11, 3, tzinfo=UTC), "recipient": "Dr Nguyễn Thị Minh, Riverside Surgery",
                "urgency": "urgent", "page_count": 2, "author_name": "Sam Carter", "sha256": "ab" * 32,
                "phone_called_at": datetime(2026, 11, 3, 9, 5, tzinfo=UTC),
                "phone_spoken_to": "Reception"}]  # fmt: skip
    audit = [{"sequence": 1, "occurred_at": EXPORTED_AT, "event": "patient.viewed", "outcome": "success",
              "user_name": "dr.chen", "role": "clinician", "workstation": "room-1"}]  # fmt: skip
    tables = {"patient": [patient], "episode": episodes, "observation": measured, "letter": letters,
              "audit_entry": audit, "draft": [], "red_flag": [{"id": 1}], "running_session": []}  # fmt: skip
    return PatientFile(12, EXPORTED_AT, "sam.okafor", tables)


def _body_text(pdf: bytes) -> str:
    """The pages' text in order without each page's footer and number, so a line split over a page reads whole."""
    pages = page_texts(pdf)
    bodies = []
    for number, text in enumerate(pages, start=1):
        assert FOOTER in text and f"Page {number} of {len(pages)}" in text  # on every page
        bodies.append(text.replace(FOOTER, " ").replace(f"Page {number} of {len(pages)}", " "))
    return squeeze(" ".join(bodies))


def _rendered(file: PatientFile) -> tuple[bytes, str]:
    json_name = file.names.data
    return render_summary_pdf(file, json_name), summary_text(file, json_name)


def test_every_line_of_the_text_summary_is_in_the_pdf_as_typed() -> None:
    file = _patient_file(names=LEFT_TO_RIGHT)
    pdf, text = _rendered(file)
    body = _body_text(pdf)
    lines = [squeeze(line) for line in text.splitlines() if line.strip()]
    assert len(lines) > 40
    missing = [line for line in lines if line not in body]
    assert missing == []
    for name in LEFT_TO_RIGHT:  # each one in its own line, nothing obeyed as markup or dropped
        assert squeeze(name) in body
    assert "<b>x</b>" in body and "Left calf pain after <b>x</b> & a hill" in body


def test_the_sections_come_in_the_order_of_the_text_summary() -> None:
    file = _patient_file(names=LEFT_TO_RIGHT)
    body = _body_text(_rendered(file)[0])
    content = summary(file, file.names.data)
    places = [body.index(squeeze(section.heading)) for section in content.sections]
    assert places == sorted(places) and len(places) == 8
    assert body.startswith("Everything CalfDesk holds about patient 12 Exported 2026-12-01 09:00 UTC by sam.okafor.")
    assert "Other records (see the JSON file) red_flag: 1 rows running_session: 0 rows" in body
    assert "Unsaved changes kept for staff (0) none" in body


@pytest.mark.parametrize("name", RIGHT_TO_LEFT)
def test_right_to_left_names_read_back_in_logical_order(name: str) -> None:
    pdf = render_summary_pdf(_patient_file(names=(name,)), "export.json")
    assert logical(f"Name 0: {name}") in logical(" ".join(page_texts(pdf)))


def test_a_long_record_runs_over_pages_each_numbered_and_footed() -> None:
    file = _patient_file(names=LEFT_TO_RIGHT, observations=250)
    pdf, text = _rendered(file)
    assert len(reader(pdf).pages) >= 5
    body = _body_text(pdf)  # asserts the footer and "Page N of M" on every page
    assert body.count("heel_raise left: ") == 250 == text.count("heel_raise left: ")
    assert "#349 2 October 2026 heel_raise left: 267 reps [single-leg, to fatigue]" in body


def test_the_metadata_names_the_patient_by_id_and_never_by_name() -> None:
    pdf = render_summary_pdf(_patient_file(), "export.json")
    metadata = reader(pdf).metadata
    assert metadata is not None
    assert metadata.title == "Everything CalfDesk holds about patient 12"
    assert metadata.author == "sam.okafor"  # the administrator who exported it
    assert metadata.subject is not None and "Subject access export" in metadata.subject
    values = " ".join(str(value) for value in metadata.values())
    for name in (*NAMES, "Nguy", "Minh"):
        assert name.split("\n")[0] not in values
    assert re.search(r"patient \d+", values)


def test_an_empty_record_still_renders_every_section() -> None:
    file = PatientFile(5, EXPORTED_AT, "sam.okafor", {"patient": [{"id": 5, "given_name": "Zoë"}]})
    body = squeeze(" ".join(page_texts(render_summary_pdf(file, file.names.data))))
    assert "Given name: Zoë" in body and "Episodes of care (0) none" in body
    assert "Each letter sent" not in body and "Page 1 of 1" in body
