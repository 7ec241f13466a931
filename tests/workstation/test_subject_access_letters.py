"""The subject-access summary lists the patient's letters, with the phone call made before an urgent one."""

from __future__ import annotations

from datetime import UTC, datetime

from workstation.privacy.subject_access import PatientFile, summary_text

SHA = "ab" * 32


def _letter(**changes: object) -> dict[str, object]:
    row: dict[str, object] = {
        "id": 4, "finalised_at": datetime(2026, 12, 1, 10, 20, tzinfo=UTC), "title": "Referral letter to GP",
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
    text = _summary(called, _letter(id=5, urgency="routine", title="Progress report to GP"))
    assert "Letters sent, as finalised (2)" in text
    first = next(line for line in text.splitlines() if line.strip().startswith("#4 "))
    assert "Referral letter to GP to Dr A Patel, Riverside Surgery; urgent; 2 pages; by Sam Carter" in first
    assert f"SHA-256 {SHA}" in first and "telephoned NHS 111 at" in first
    assert "Progress report to GP" in text
    assert "Other records" not in text  # letters have their own section now


def test_a_letter_sent_without_a_call_says_why() -> None:
    text = _summary(_letter(phone_not_called_reason="Taken to the Emergency Department by ambulance"))
    assert "no call made: Taken to the Emergency Department by ambulance" in text
