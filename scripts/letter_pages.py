"""Every document CalfDesk writes, finalised through the real letter service, as page images for the docs.

Run by ``make screenshots`` after the app's pictures (``python -m scripts.letter_pages``). A demo database
in a temporary folder gets a clinic with its letterhead, logo and country, a clinician with their
registration and signature, and four made-up patients whose assessments the demo generator writes and the
assessment service finalises. Each document is then finalised exactly as the app does it
(``session.letters.finalise`` with ``reports.letters.render_letter``), read back through the service
(checked against its SHA-256), and its first two pages drawn with ``pdftoppm -r 70`` into
docs/screenshots/letter-<name>-<page>.png.

The records are shared with ``scripts.screenshots_letters``, so the app's pictures show the same people.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import db
from workstation.audit.auditor import Auditor
from workstation.clinical.country import Country
from workstation.demo import add_demo_runs
from workstation.demo_assessments import DemoAssessment, DemoEpisode, generate_assessment_courses
from workstation.letters.records import (
    CarePlanVisit,
    LetterEdits,
    LetterFacts,
    LetterKind,
    LetterRequest,
    PhoneCall,
    StoredLetter,
)
from workstation.letters.sections import default_request
from workstation.ports import ClinicStore
from workstation.records import DischargeReason, Episode, EpisodeStatus, GeneralPractitioner, Patient, Sex, Side
from workstation.services.accounts import Accounts
from workstation.services.letters import LetterUse
from workstation.services.session import ClinicSession

if TYPE_CHECKING:
    from PySide6.QtGui import QColor, QPainter

OUTPUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
PAGE_DPI = 70  # small enough to sit in a page of the guide, large enough to read the headings
PAGES_SHOWN = 2
KEY = bytes(range(32))  # the demo database is encrypted like any; the key is made up
OWNER = ("sam.okafor", "Sam Okafor", "kettle orbit saffron lane")  # the same owner as the app's pictures
WORKSTATION = "letter-pages"
SEED = 7


@dataclass(frozen=True, slots=True)
class Practice:
    """What Admin › Clinic settings and File › My letter details hold for one clinic and its clinician."""

    name: str
    address: str
    phone: str
    email: str
    country: Country
    registration_body: str
    registration_number: str
    clinician_phone: str
    clinician_email: str


UK_PRACTICE = Practice(
    "Riverside Physiotherapy", "Riverside House\n12 Mill Lane\nBath BA2 4QR", "01225 555 0100",
    "reception@riverside-physio.example", Country.UK, "HCPC", "PH123456", "01225 555 0101",
    "sam.okafor@riverside-physio.example",
)  # fmt: skip
AU_PRACTICE = Practice(
    "Harbourside Physiotherapy", "Level 2, 45 George Street\nSydney NSW 2000", "02 5550 1234",
    "reception@harbourside-physio.example", Country.AU, "AHPRA", "PHY0001234567", "02 5550 1235",
    "sam.okafor@harbourside-physio.example",
)  # fmt: skip
UK_GP = GeneralPractitioner("Dr Amara Singh", "Riverside Surgery", "1 Mill Lane\nBath BA2 4QS", "01632 960123")
AU_GP = GeneralPractitioner("Dr Priya Raman", "Harbour Medical Centre", "12 Pitt Street\nSydney NSW 2000",
                            "02 5550 9876")  # fmt: skip
DVT_COMPLAINT = "calf swelling and tenderness after a long-haul flight, ? DVT, referred same day"
DVT_ACTION = "Stopped the session and phoned the practice; no further tests"  # the flag's recorded action
DVT_CALL = ("Reception, Riverside Surgery", "Dr Singh will see her within the hour")
CALL_AFTER = timedelta(minutes=12)  # the phone call, after the assessment that raised the flag


@dataclass(frozen=True, slots=True)
class DemoPatients:
    dvt: Patient  # a suspected DVT after a flight: the urgent referral, phoned first
    overload: Patient  # a gradual calf overload: the routine referral
    runner: Patient  # a gastrocnemius strain over ten weeks, with a running log: progress, handout, discharge
    australian: Patient  # a soleus strain seen in Sydney: the care-plan report


def make_patients(store: ClinicStore, session: ClinicSession, today: date) -> DemoPatients:
    """The four patients and their finalised assessments (the demo generator's courses)."""
    dvt = _patient(store, "Siobhán", "O'Brien", date(1988, 7, 9), nhs_number="9434765919",
                   address="4 Quay Street\nBath BA1 1AA", phone="07700 900456")  # fmt: skip
    overload = _patient(store, "Thị Minh", "Nguyễn", date(1979, 3, 21), nhs_number="4010232137",
                        address="27 Sydney Road\nBath BA2 6NT", phone="07700 900789")  # fmt: skip
    runner = _patient(store, "Zoë", "Ødegård", date(1994, 11, 2), nhs_number="4505577104",
                      address="Flat 3, 8 Pulteney Street\nBath BA2 4BL", phone="07700 900321")  # fmt: skip
    australian = _patient(store, "Mia", "Wong", date(1991, 5, 14), gp=AU_GP, medicare_number="2123456701",
                          medicare_irn="1", address="9 Bondi Road\nBondi NSW 2026", phone="0412 555 678")  # fmt: skip
    _course(session, dvt, DVT_COMPLAINT, today, today, country=Country.UK, action=DVT_ACTION)  # referred that day
    _course(session, overload, "gradual gastrocnemius strain after a mileage increase", today - timedelta(weeks=3),
            today, country=Country.UK)  # fmt: skip
    _course(session, runner, "medial gastrocnemius strain", today - timedelta(weeks=10), today, country=Country.UK,
            runs=True)  # fmt: skip
    _course(session, australian, "soleus strain", today - timedelta(weeks=8), today, country=Country.AU)
    return DemoPatients(dvt, overload, runner, australian)


def _patient(store: ClinicStore, given: str, family: str, born: date, *, gp: GeneralPractitioner = UK_GP,
             **details: str) -> Patient:  # fmt: skip
    return store.patients.add(Patient(given, family, born, sex=Sex.FEMALE, gp=gp, **details))  # type: ignore[arg-type]


def _course(session: ClinicSession, patient: Patient, complaint: str, onset: date, today: date, *,
            country: Country, runs: bool = False, action: str = "") -> list[DemoAssessment]:  # fmt: skip
    """The demo generator's course for a new episode, finalised; ``action`` replaces the red flags' actions."""
    assert patient.id is not None
    episode = session.episodes.add(Episode(patient.id, complaint, Side.LEFT, onset))
    assert episode.id is not None
    demo = DemoEpisode(patient.id, episode.id, patient.date_of_birth, "female", "left", complaint, onset, None)
    course = next(generate_assessment_courses([demo], SEED, today))
    for assessment in course:
        draft = assessment.draft
        if action and draft.detail.get("red_flag_actions"):
            draft.detail["red_flag_actions"] = dict.fromkeys(draft.detail["red_flag_actions"], action)
        session.assessments.finalise(draft, today=today, country=country, at=assessment.at)
    if runs:
        running_log = session.running_log
        add_demo_runs(lambda made: running_log.import_runs(patient.id, made, today=today), course, SEED, today)  # type: ignore[arg-type]
    return course


def set_practice(session: ClinicSession, practice: Practice, *, logo: bytes | None, signature: bytes | None,
                 at: datetime) -> None:  # fmt: skip
    """The letterhead and the clinician's letter details, through the services the settings dialogs use."""
    settings, actor = session.clinic_settings, session.actor
    settings.set_details(actor, name=practice.name, address=practice.address, phone=practice.phone,
                         email=practice.email)  # fmt: skip
    settings.set_country(actor, practice.country)
    settings.set_logo(actor, logo)
    profile = session.letters.clinician_profile()
    session.letters.save_clinician_profile(
        replace(profile, registration_body=practice.registration_body, registration_number=practice.registration_number,
                phone=practice.clinician_phone, email=practice.clinician_email, signature=signature),
        at=at,
    )  # fmt: skip


def discharge(session: ClinicSession, patient: Patient, on: date) -> None:
    """Discharge the patient's open episode: returned to running."""
    assert patient.id is not None
    episode = next(e for e in session.episodes.for_patient(patient.id) if e.status is EpisodeStatus.OPEN)
    session.episodes.update(replace(episode, status=EpisodeStatus.DISCHARGED, discharge_date=on,
                                    discharge_reason=DischargeReason.RETURNED_TO_RUNNING))  # fmt: skip


def finalise(
    session: ClinicSession, patient: Patient, kind: LetterKind, today: date, at: datetime, *,
    edits: LetterEdits | None = None, call: tuple[str, str] | None = None,
) -> tuple[StoredLetter, bytes]:  # fmt: skip
    """The letter as the dialog opens it (every default), finalised through the real service; its stored PDF.

    ``call`` is who was spoken to and what was agreed, for a letter that is phoned first: the call is
    recorded a few minutes after the assessment was finalised, as it would be in the room.
    """
    from reports.letters import render_letter

    assert patient.id is not None
    facts: LetterFacts = session.letters.facts(patient.id, assessment_id=None, today=today)
    request: LetterRequest = default_request(kind, facts)
    if edits is not None:
        request = replace(request, edits=edits)
    if call is not None:
        assert facts.assessment is not None and facts.assessment.finalised_at is not None
        facts = replace(facts, phone_call=PhoneCall(facts.assessment.finalised_at + CALL_AFTER, *call))
    stored = session.letters.finalise(request, facts, render=render_letter, at=at)
    assert stored.id is not None
    return stored, session.letters.pdf(stored.id, use=LetterUse.VIEW)


def logo_png(name: str = "Riverside") -> bytes:
    """A small made-up logo drawn with Qt: a blue disc with the initial, and the name beside it."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor, QFont

    def paint(painter: QPainter) -> None:
        painter.setPen(QColor("#1f5fa8"))
        painter.setBrush(QColor("#1f5fa8"))
        painter.drawEllipse(8, 8, 134, 134)
        font = QFont("DejaVu Sans")
        font.setBold(True)
        font.setPixelSize(72)
        painter.setFont(font)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(QRect(8, 8, 134, 134), Qt.AlignmentFlag.AlignCenter, name[:1])
        font.setPixelSize(56)
        painter.setFont(font)
        painter.setPen(QColor("#1f5fa8"))
        painter.drawText(166, 98, name)

    return _drawn_png(180 + 36 * len(name), 150, paint)


def signature_png() -> bytes:
    """A made-up handwritten signature: "S Okafor" in an italic serif, dark blue ink on white, as scanned."""
    from PySide6.QtGui import QColor, QFont

    def paint(painter: QPainter) -> None:
        font = QFont("DejaVu Serif")
        font.setItalic(True)
        font.setPixelSize(64)
        painter.setFont(font)
        painter.setPen(QColor("#102050"))
        painter.drawText(16, 84, "S Okafor")

    return _drawn_png(360, 120, paint, background=QColor("#ffffff"))


def _drawn_png(
    width: int, height: int, paint: Callable[[QPainter], None], *, background: QColor | None = None
) -> bytes:
    """A PNG of ``width`` x ``height`` pixels drawn by ``paint`` on ``background`` (None: transparent); a
    QGuiApplication is made for the fonts if there is none."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter

    if QGuiApplication.instance() is None:
        _keep.append(QGuiApplication([sys.argv[0]]))
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0) if background is None else background)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    paint(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


_keep: list[object] = []  # the QGuiApplication made for drawing, kept alive until the script ends


# The page images -----------------------------------------------------------------------------------


def write_pages(pdf: bytes, name: str, pages: int, folder: Path) -> list[Path]:
    """Pages 1 and (where the letter has one) 2 as docs/screenshots/letter-<name>-<page>.png."""
    for stale in OUTPUT.glob(f"letter-{name}-*.png"):
        stale.unlink()
    source = folder / f"{name}.pdf"
    source.write_bytes(pdf)
    written = []
    for page in range(1, min(pages, PAGES_SHOWN) + 1):
        target = OUTPUT / f"letter-{name}-{page}"
        subprocess.run(["pdftoppm", "-r", str(PAGE_DPI), "-png", "-f", str(page), "-l", str(page), "-singlefile",
                        str(source), str(target)], check=True)  # fmt: skip
        written.append(target.with_suffix(".png"))
    return written


class _Clock:
    """Audit times a few seconds apart, from nine this morning."""

    def __init__(self, today: date) -> None:
        self._next = datetime.combine(today, datetime.min.time()).astimezone(UTC) + timedelta(hours=9)

    def __call__(self) -> datetime:
        now, self._next = self._next, self._next + timedelta(seconds=5)
        return now


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # the logo is drawn with Qt; no window opens
    OUTPUT.mkdir(parents=True, exist_ok=True)
    today = datetime.now(UTC).astimezone().date()
    clock = _Clock(today)
    with tempfile.TemporaryDirectory(prefix="calfdesk-letters-") as name:
        folder = Path(name)
        store = db.open_database(f"sqlite:///{folder / 'letters.sqlite3'}", key=KEY)
        try:
            written = _write_letters(store, folder, today, clock)
        finally:
            store.close()
    for path in written:
        print(path)
    return 0


def _write_letters(store: ClinicStore, folder: Path, today: date, clock: Callable[[], datetime]) -> list[Path]:
    auditor = Auditor(store.audit, WORKSTATION, clock)
    session = ClinicSession(store, Accounts(store.users, auditor).create_owner(*OWNER).actor, auditor)
    people = make_patients(store, session, today)
    signature = signature_png()
    set_practice(session, UK_PRACTICE, logo=logo_png("Riverside"), signature=signature, at=clock())
    letters = [
        ("gp-referral-urgent", people.dvt, LetterKind.GP_REFERRAL, None, DVT_CALL),
        ("gp-referral-routine", people.overload, LetterKind.GP_REFERRAL, None, None),
        ("progress", people.runner, LetterKind.PROGRESS, None, None),
        ("handout", people.runner, LetterKind.HANDOUT, None, None),
    ]
    written = []
    for name, patient, kind, edits, phoned in letters:
        stored, pdf = finalise(session, patient, kind, today, clock(), edits=edits, call=phoned)
        written += write_pages(pdf, name, stored.page_count, folder)
    discharge(session, people.runner, today)
    stored, pdf = finalise(session, people.runner, LetterKind.DISCHARGE, today, clock())
    written += write_pages(pdf, "discharge", stored.page_count, folder)
    set_practice(session, AU_PRACTICE, logo=logo_png("Harbourside"), signature=signature, at=clock())
    edits = LetterEdits(care_plan_visit=CarePlanVisit.LAST)
    stored, pdf = finalise(session, people.australian, LetterKind.CARE_PLAN_REPORT, today, clock(), edits=edits)
    written += write_pages(pdf, "care-plan-report", stored.page_count, folder)
    return written


if __name__ == "__main__":
    sys.exit(main())
