"""Records the size of a clinic's fullest ones: a few KB of text each, much of it outside ASCII. Each is
over half a 4 KB page, so every saved record needs a page of its own: a full disk then meets the first
record of a save as surely as the last."""

from __future__ import annotations

from datetime import date

from workstation.records import Episode, GeneralPractitioner, Patient, Side

TODAY = date(2026, 11, 22)
_NOTE = (
    "Posteromedial calf pain 6/10 on hill repeats, worse after the long run; tender medial gastrocnemius "
    "at the musculotendinous junction, Thompson negative, heel raises 18 left against 27 right. Plan: "
    "isometric soleus holds, graded return-to-run, review in ten days. Đoàn kết, Ødegård, Dvořák, Zoë. "
    "下り坂で左ふくらはぎ内側の痛み、腓腹筋内側頭に圧痛、トンプソンテスト陰性。等尺性ヒラメ筋訓練を開始。"
)
_ADDRESS = "東京都新宿区西新宿二丁目八番一号、都庁第一本庁舎三十二階。Flat 2, 14 Nguyễn Thị Minh Khai, Quận 1. "


def _text(source: str, length: int, n: int) -> str:
    """``length`` characters of ``source`` starting at a place that depends on ``n`` (so rows differ)."""
    start = (n * 37) % len(source)
    repeated = source * (length // len(source) + 2)
    return repeated[start : start + length]


def bulky_patient(n: int) -> Patient:
    """About 3.5 KB stored: addresses at their 500-character limit, every contact field filled."""
    return Patient(
        given_name="Thị Minh",
        family_name=f"Nguyễn-Okafor {'abcdefghij'[n % 10]}",
        date_of_birth=date(1970 + n % 40, 1 + n % 12, 1 + n % 28),
        phone="0131 555 0100",
        email="runner@example.org",
        address=_text(_ADDRESS, 500, n),
        gp=GeneralPractitioner(
            name="Dr Amara Singh",
            practice="Riverside Surgery",
            address=_text(_ADDRESS, 500, n + 1),
            phone="0131 555 0199",
            secure_email="riverside.gp@nhs.net",
        ),
    )


def bulky_episode(patient_id: int, n: int) -> Episode:
    """A presenting complaint at its 2,000-character limit (about 3 KB stored)."""
    return Episode(patient_id, _text(_NOTE, 2_000, n), Side.LEFT if n % 2 else Side.RIGHT, date(2026, 10, 1))
