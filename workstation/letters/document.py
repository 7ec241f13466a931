"""A letter's content as plain data: what ``reports.letters.render_letter`` lays out as PDF pages.

Every string here is plain text exactly as it should print (user text included, unescaped): the renderer
escapes it and picks fonts and direction. Nothing here knows about pages, fonts or ReportLab, so the
content of a letter is tested with plain asserts and the layout separately.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from workstation.letters.records import LetterKind, SectionKey
from workstation.progress.chart_data import Chart, Marker

Emphasis = Literal["normal", "strong", "small", "muted"]
Tier = Literal["emergency", "urgent", "soon", "routine"]


@dataclass(frozen=True, slots=True)
class Text:
    """One paragraph. Line breaks inside ``text`` are kept as line breaks."""

    text: str
    emphasis: Emphasis = "normal"


@dataclass(frozen=True, slots=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Fields:
    """Label and value pairs, two columns: identifiers, history facts ("Onset", "Gradual, steady run")."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Table:
    """A findings table. ``flagged`` are row indexes (into ``rows``) to highlight: a value past its threshold."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    flagged: tuple[int, ...] = ()
    compact: bool = False  # many short rows (the Wells items): printed in smaller type with less padding


@dataclass(frozen=True, slots=True)
class ChartFigure:
    """One progress chart drawn as vector graphics from the same ``Chart`` the app draws."""

    chart: Chart
    markers: tuple[Marker, ...]
    first_day: date
    last_day: date
    caption: str = ""


@dataclass(frozen=True, slots=True)
class BodyChartFigure:
    """The body chart (resources/body_chart.svg) with the marked regions (``body_chart.REGIONS`` codes) filled."""

    regions: tuple[str, ...]
    caption: str = ""


@dataclass(frozen=True, slots=True)
class ExerciseCard:
    """One exercise of a handout: a drawing (by library ``code``), what to do, and how much."""

    code: str  # a workstation.clinical.exercises code: picks the drawing
    name: str
    instructions: str
    dose: str  # "3 sets of 15, daily"
    notes: str = ""  # the clinician's note for this patient


Block = Text | Bullets | Fields | Table | ChartFigure | BodyChartFigure | ExerciseCard


@dataclass(frozen=True, slots=True)
class Section:
    key: SectionKey
    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Banner:
    """The urgency banner at the top of a letter (CLINICAL.md 9.1 item 1): tier colour, title, one line why."""

    tier: Tier
    title: str  # "URGENT: please see today"
    text: str  # one-line reason for writing


@dataclass(frozen=True, slots=True)
class Letterhead:
    clinic_name: str
    address_lines: tuple[str, ...] = ()
    phone: str = ""
    email: str = ""
    logo: bytes | None = None  # PNG or JPEG


@dataclass(frozen=True, slots=True)
class Addressee:
    name: str
    practice: str = ""
    address_lines: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Signature:
    name: str
    profession: str  # "Physiotherapist"
    registration: str  # "HCPC registration PH123456", "" when none is recorded
    contact: str = ""  # phone or secure email
    image: bytes | None = None  # the clinician's signature, PNG or JPEG


@dataclass(frozen=True, slots=True)
class Letter:
    """A whole document. ``title``, ``author`` and ``subject`` are also the PDF's metadata, so they never
    carry the patient's name (a viewer shows the title in its window bar and file lists)."""

    kind: LetterKind
    title: str  # "Referral to GP", "Home exercise programme"
    subject: str  # "Calf assessment of 1 December 2026"
    author: str  # the clinician's name
    letterhead: Letterhead
    date_lines: tuple[tuple[str, str], ...]  # ("Date of letter", "1 December 2026"), ("Date seen", ...)
    patient_lines: tuple[tuple[str, str], ...]  # the identifiers block: name, date of birth, NHS number, ...
    sections: tuple[Section, ...]
    signature: Signature | None
    recipient: Addressee | None = None  # None for a handout (it goes to the patient in person)
    banner: Banner | None = None
    salutation: str = ""  # "Dear Dr Patel,"
    opening: str = ""  # one line under the salutation: "Thank you for seeing ..."
    closing: str = ""  # "Yours sincerely,"
    copy_to: tuple[str, ...] = ()  # "Patient", ...
    footer: str = ""  # every page: patient name, date of birth, identifier, reference (not in metadata)
    reference: str = ""  # "CD-1A2B3C4D": also in the footer
    large_type: bool = False  # the patient handout: bigger type, more space
    language: str = "en-GB"
    notes: tuple[str, ...] = field(default=())  # small print at the end: "Decision support only ..."
    extra: str = ""  # the clinician's "anything else" (LetterEdits.extra): after the sections, before the closing


@dataclass(frozen=True, slots=True)
class RenderedLetter:
    """A letter as PDF bytes (``reports.letters.render_letter``), with its number of pages."""

    pdf: bytes
    pages: int
