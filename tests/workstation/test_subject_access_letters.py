"""The subject-access summary lists the patient's letters, with the phone call made before an urgent one and
the file beside it that holds each letter's PDF as sent."""

from __future__ import annotations

from datetime import UTC, datetime

from workstation.privacy.subject_access import PatientFile, summary_text

SHA = "ab" * 32


def _letter(**changes: object) -> dict[str, object]:
    row: dict[str, object] = {
        "id": 4, "uid": "3f2a9c1e-77b0-4c1d-9e2f-0a1b2c3d4e5f", "title": "Referral letter to GP",
        "finalised_at": datetime(2026, 12, 1, 10, 20, tzinfo=UTC),
        "recipient": "Dr A Patel, Riverside Surgery", "urgency": "urgent", "page_count": 2,
        "author_name": "Sam Carter", "sha256": SHA, "phone_called_at": None, "phone_spoken_to": "",
        "phone_not_called_reason": "", "pdf": "data:application/pdf;base64,JVBERi0=",
    }  # fmt: skip
    return row | changes


def _summary(*letters: dict[str, object]) -> str:
    file = PatientFile(7, datetime(2026, 12, 2, tzinfo=UTC), "sam.owner", {"patient": (), "letter": letters})
    return summary_text(file, "export.json")


def test_each_letter_is_listed_with_its_fingerprint_and_the_call_made() -> None:
    called = _letter(phone_called_at=datetime(2026, 12, 1, 10, 5, tzinfo=UTC), phone_spoken_to="NHS 111")
    routine = _letter(id=5, uid="8d0e4b2a-0000-4000-8000-000000000000", urgency="routine", page_count=1,
                      title="Progress report to GP")  # fmt: skip
    text = _summary(called, routine)
    assert "Letters sent, as finalised (2)" in text
    first, second = (line for line in text.splitlines() if line.strip().startswith(("#4 ", "#5 ")))
    assert "Referral letter to GP to Dr A Patel, Riverside Surgery; urgent; 2 pages; by Sam Carter" in first
    assert f"SHA-256 {SHA}" in first and "telephoned NHS 111 at" in first
    assert first.endswith("; the PDF as sent: calfdesk-patient-7-20261202T000000Z-letter-CD-3F2A9C1E.pdf")
    assert "Progress report to GP to Dr A Patel, Riverside Surgery; routine; 1 page; by" in second
    assert second.endswith("-letter-CD-8D0E4B2A.pdf")
    assert "Each letter sent is beside them as its own PDF, exactly as it was finalised." in text
    assert "Other records" not in text  # letters have their own section now


def test_a_letter_sent_without_a_call_says_why() -> None:
    text = _summary(_letter(phone_not_called_reason="Taken to the Emergency Department by ambulance"))
    assert "no call made: Taken to the Emergency Department by ambulance" in text


def test_without_letters_the_summary_promises_no_letter_files() -> None:
    text = _summary()
    assert "Letters sent, as finalised (0)\n  none\n" in text
    assert "Each letter sent" not in text
