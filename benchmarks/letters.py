"""Letters (issue 8): one GP referral, and a batch of 500, run in a fresh process (``python -m benchmarks.letters``).

The database is an encrypted SQLite file filled by the demo tools (``fill_with_demo_assessments``: patients,
episodes and assessment histories finalised through the service), with the clinic's letterhead and the
clinician's registration filled in, as a practice has them.

- ``letter_ms``: the median, over 50 runs after 5 warm-up runs, of ``compose_letter`` + ``render_letter``
  for the default GP referral of a demo patient with an assessment history (its facts read once).
- ``letter_bare_ms``: the same content (the composed ``Letter``) laid out by a bare ReportLab platypus
  story written here: paragraphs, the same tables, the same embedded font registered once, the charts as
  plain polylines. The two are timed alternately, so the machine's drift falls on both alike, and
  ``letter_ratio`` is their quotient (target at most 2.0).
- ``letters_500_s``: the wall time of the command line's batch path (``ui.letter_export.write_batch``) writing
  500 GP referrals, cycling over the demo patients with an assessment history: facts read, composed,
  rendered (in ``letters_500_workers`` worker processes, their start included), stored with the audit, read
  back (audited) and written to a folder. ``letters_500_main_cpu_s`` is the main process's share of the CPU.

Prints one JSON object as its last line.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from benchmarks.environment import Sandbox, run_probe

DEMO_PATIENTS = 400
DEMO_SEED = 8
WARM_UP = 5
ROUNDS = 50
BATCH = 500
PASSWORD = "quiet harbour pencil gale"
NOT_CALLED = "Benchmark: the patient was sent to the Emergency Department by ambulance"


def measure(sandbox: Sandbox) -> dict[str, Any]:
    return run_probe("benchmarks.letters", sandbox)


# The clinic ----------------------------------------------------------------------------------------------


def _open_clinic(folder: Path) -> tuple[Any, Any]:
    """An encrypted store filled with demo patients, and the owner's session on it."""
    from datetime import UTC, datetime

    import db
    from ui.cli_assessment import fill_with_demo_assessments
    from workstation.audit.auditor import Auditor
    from workstation.clinical.country import Country
    from workstation.letters.records import ClinicianProfile
    from workstation.services.accounts import Accounts
    from workstation.services.session import ClinicSession

    store = db.open_database(f"sqlite:///{folder / 'letters.db'}", key=bytes(range(32)))
    auditor = Auditor(store.audit, "bench")
    owner = Accounts(store.users, auditor).create_owner("bench.owner", "Sam Okafor", PASSWORD)
    session = ClinicSession(store, owner.actor, auditor)
    fill_with_demo_assessments(session, DEMO_PATIENTS, DEMO_SEED, share=1.0)
    settings = session.clinic_settings
    settings.set_country(owner.actor, Country.UK)
    settings.set_details(owner.actor, name="Riverside Running Injury Clinic", phone="0161 496 0000",
                         address="12 Mill Lane\nManchester\nM1 2AB", email="clinic@example.org")  # fmt: skip
    profile = ClinicianProfile(owner.actor.user_id, "Sam Okafor", registration_body="HCPC",
                               registration_number="PH123456", phone="0161 496 0001")  # fmt: skip
    session.letters.save_clinician_profile(profile, at=datetime.now(UTC))
    return store, session


def _assessed(store: Any) -> list[int]:
    return [row.id for row in store.patients.summaries() if store.assessments.current_for_patient(row.id)]


def _typical_patient(store: Any, assessed: list[int]) -> int:
    """The first patient (in list order) with a follow-up, so the letter has its charts and its progress."""
    return next(patient_id for patient_id in assessed if len(store.assessments.current_for_patient(patient_id)) >= 3)


# One letter ------------------------------------------------------------------------------------------------


def measure_one_letter(session: Any, patient_id: int) -> dict[str, Any]:
    from reports.fonts import register_fonts
    from reports.letters import render_letter
    from ui.clock import local_today
    from workstation.letters.compose import compose_letter
    from workstation.letters.records import LetterKind
    from workstation.letters.sections import default_request

    facts = session.letters.facts(patient_id, assessment_id=None, today=local_today())
    request = default_request(LetterKind.GP_REFERRAL, facts)
    register_fonts()  # once per process, in the app as here
    letter = compose_letter(request, facts)

    def full() -> int:
        return render_letter(compose_letter(request, facts)).pages

    def bare() -> int:
        return bare_letter(letter)

    full_ms, bare_ms, pages, bare_pages = _alternate(full, bare)
    return {
        "letter_ms": statistics.median(full_ms),
        "letter_bare_ms": statistics.median(bare_ms),
        "letter_ratio": statistics.median(full_ms) / statistics.median(bare_ms),
        "letter_pages": pages,
        "letter_bare_pages": bare_pages,
        "letter_rounds": ROUNDS,
    }


def _alternate(full: Callable[[], int], bare: Callable[[], int]) -> tuple[list[float], list[float], int, int]:
    """Each run of ``full`` followed by one of ``bare`` (then the other way round), after the warm-up."""
    for _ in range(WARM_UP):
        full()
        bare()
    full_ms: list[float] = []
    bare_ms: list[float] = []
    pages = bare_pages = 0
    for round_ in range(ROUNDS):
        order = ((full, full_ms), (bare, bare_ms)) if round_ % 2 == 0 else ((bare, bare_ms), (full, full_ms))
        for run, times in order:
            started = time.perf_counter()
            count = run()
            times.append((time.perf_counter() - started) * 1000)
            if run is full:
                pages = count
            else:
                bare_pages = count
    return full_ms, bare_ms, pages, bare_pages


# The bare letter: the same content, the least ReportLab can do with it ------------------------------------


def bare_letter(letter: Any) -> int:
    """Lay ``letter`` out with plain platypus (escaped text, the same tables, polyline charts); its pages."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
                                 bottomMargin=20 * mm, title=letter.title, author=letter.author)  # fmt: skip
    styles = _bare_styles()

    def footer(canvas: Any, doc: Any) -> None:
        canvas.setFont("DejaVuSans", 7.5)
        canvas.drawString(20 * mm, 10 * mm, letter.footer)
        canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, f"Page {doc.page}")

    document.build(list(_bare_story(letter, styles, document.width)), onFirstPage=footer, onLaterPages=footer)
    assert buffer.getvalue().startswith(b"%PDF-")
    return int(document.page)


def _bare_styles() -> dict[str, Any]:
    from reportlab.lib.styles import ParagraphStyle

    body = ParagraphStyle("body", fontName="DejaVuSans", fontSize=9.5, leading=12.5, spaceAfter=3)
    return {
        "body": body,
        "strong": ParagraphStyle("strong", body, fontName="DejaVuSans-Bold"),
        "small": ParagraphStyle("small", body, fontSize=8, leading=10),
        "title": ParagraphStyle("title", body, fontName="DejaVuSans-Bold", fontSize=15, leading=19, spaceAfter=6),
        "heading": ParagraphStyle(
            "heading", body, fontName="DejaVuSans-Bold", fontSize=11.5, leading=15, spaceBefore=8, spaceAfter=3
        ),
        "cell": ParagraphStyle("cell", body, fontSize=8.5, leading=10.5, spaceAfter=0),
        "cell_bold": ParagraphStyle(
            "cell_bold", body, fontName="DejaVuSans-Bold", fontSize=8.5, leading=10.5, spaceAfter=0
        ),
    }


def _p(text: str, style: Any) -> Any:
    from reportlab.platypus import Paragraph

    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _bare_story(letter: Any, styles: dict[str, Any], width: float) -> Iterator[Any]:
    head = letter.letterhead
    yield _p("\n".join((head.clinic_name, *head.address_lines, head.phone, head.email)), styles["strong"])
    if letter.recipient is not None:
        yield _p("\n".join((letter.recipient.name, letter.recipient.practice, *letter.recipient.address_lines)),
                 styles["body"])  # fmt: skip
    yield _fields(letter.date_lines, styles, width)
    yield _p(letter.title, styles["title"])
    yield _fields(letter.patient_lines, styles, width)
    if letter.banner is not None:
        yield _grid([[letter.banner.title], [letter.banner.text]], styles, width, header=True)
    for text in (letter.salutation, letter.opening):
        if text:
            yield _p(text, styles["body"])
    for section in letter.sections:
        yield _p(section.heading, styles["heading"])
        for block in section.blocks:
            yield from _bare_block(block, styles, width)
    for text in (letter.extra, letter.closing):
        if text:
            yield _p(text, styles["body"])
    if letter.signature is not None:
        signature = letter.signature
        yield _p("\n".join((signature.name, signature.profession, signature.registration, signature.contact)),
                 styles["body"])  # fmt: skip
    if letter.copy_to:
        yield _p("cc: " + ", ".join(letter.copy_to), styles["body"])
    for note in letter.notes:
        yield _p(note, styles["small"])


def _bare_block(block: Any, styles: dict[str, Any], width: float) -> Iterator[Any]:
    from workstation.letters import document as doc

    if isinstance(block, doc.Text):
        yield _p(block.text, styles.get(block.emphasis, styles["body"]))
    elif isinstance(block, doc.Bullets):
        for item in block.items:
            yield _p("• " + item, styles["body"])
    elif isinstance(block, doc.Fields):
        if block.rows:
            yield _fields(block.rows, styles, width)
    elif isinstance(block, doc.Table):
        yield _grid([list(block.header), *map(list, block.rows)], styles, width, header=bool(block.header))
        if block.caption:
            yield _p(block.caption, styles["small"])
    elif isinstance(block, doc.ChartFigure):
        yield _p(block.chart.title, styles["strong"])
        yield _polyline_chart(block, width)
        if block.caption:
            yield _p(block.caption, styles["small"])
    elif isinstance(block, doc.ExerciseCard):
        yield _grid([[block.name], [block.instructions], [block.dose]], styles, width, header=True)
    elif isinstance(block, doc.BodyChartFigure):
        yield _p(block.caption or ", ".join(block.regions), styles["small"])


def _fields(rows: Any, styles: dict[str, Any], width: float) -> Any:
    from reportlab.platypus import Table

    data = [[_p(key, styles["cell_bold"]), _p(value, styles["cell"])] for key, value in rows]
    return Table(data, colWidths=(width * 0.3, width * 0.7), hAlign="LEFT")


def _grid(rows: list[list[str]], styles: dict[str, Any], width: float, *, header: bool) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    columns = max(len(row) for row in rows)
    data = [[_p(cell, styles["cell_bold" if header and i == 0 else "cell"]) if cell else "" for cell in row]
            + [""] * (columns - len(row)) for i, row in enumerate(rows)]  # fmt: skip
    table = Table(data, colWidths=[width / columns] * columns, repeatRows=1 if header else 0)
    commands = [("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey))
    table.setStyle(TableStyle(commands))
    return table


def _polyline_chart(figure: Any, width: float) -> Any:
    """Axes, the references and every series as polylines, on the figure's own date range."""
    from reportlab.graphics.shapes import Drawing, PolyLine, Rect, String
    from reportlab.lib import colors
    from reportlab.lib.units import mm

    height = 62 * mm
    drawing = Drawing(width, height)
    drawing.add(Rect(30, 20, width - 40, height - 30, fillColor=None, strokeColor=colors.grey, strokeWidth=0.5))
    values = [point.value for series in figure.chart.series for point in series.points]
    values += [value for reference in figure.chart.references for _, value in reference.points]
    low, high = figure.chart.y_range or (min(values, default=0.0), max(values, default=1.0))
    span_days = max(1, (figure.last_day - figure.first_day).days)
    span_values = (high - low) or 1.0

    def xy(day: Any, value: float) -> list[float]:
        return [30 + (width - 40) * (day - figure.first_day).days / span_days,
                20 + (height - 30) * (value - low) / span_values]  # fmt: skip

    for reference in figure.chart.references:
        points = [coordinate for day, value in reference.points for coordinate in xy(day, value)]
        drawing.add(PolyLine(points, strokeColor=colors.green, strokeWidth=0.8, strokeDashArray=(3, 2)))
    for series in figure.chart.series:
        points = [coordinate for point in series.points for coordinate in xy(point.on, point.value)]
        if len(points) >= 4:
            drawing.add(PolyLine(points, strokeColor=colors.blue, strokeWidth=1.2))
    drawing.add(String(32, height - 8, figure.chart.y_label, fontName="DejaVuSans", fontSize=7))
    return drawing


# The batch ------------------------------------------------------------------------------------------------------


def measure_batch(session: Any, assessed: list[int], folder: Path) -> dict[str, Any]:
    from ui.clock import local_today
    from ui.letter_export import LetterOrder, write_batch
    from ui.letter_pool import worker_count
    from workstation.letters.records import LetterKind

    ids = [assessed[index % len(assessed)] for index in range(BATCH)]
    order = LetterOrder(LetterKind.GP_REFERRAL, not_called=NOT_CALLED)
    failures: list[tuple[int, Exception]] = []
    started, main_cpu = time.perf_counter(), time.process_time()
    result = write_batch(session, order, ids, folder, today=local_today(), failed=lambda *fail: failures.append(fail))
    seconds, main_cpu = time.perf_counter() - started, time.process_time() - main_cpu
    if failures:
        patient_id, error = failures[0]
        raise RuntimeError(f"{len(failures)} letters of the batch failed; patient {patient_id}: {error}")
    pages = [written.stored.page_count for written in result.written]
    return {
        "letters_500_s": seconds,
        "letters_500_workers": worker_count(BATCH),
        "letters_500_main_cpu_s": main_cpu,
        "letters_500_patients": len(set(ids)),
        "letters_500_pages_median": statistics.median(pages),
        "letters_500_urgent": sum(written.stored.urgency in ("urgent", "emergency") for written in result.written),
    }


def main() -> int:
    folder = tempfile.TemporaryDirectory(prefix="calfdesk-letters-")
    try:
        store, session = _open_clinic(Path(folder.name))
        try:
            assessed = _assessed(store)
            results = measure_one_letter(session, _typical_patient(store, assessed))
            out = Path(folder.name) / "letters"
            out.mkdir()
            results |= measure_batch(session, assessed, out)
        finally:
            store.close()
    finally:
        folder.cleanup()
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
