"""``calfdesk letter``, one letter and a batch, run in-process through ``main()`` (and once as a subprocess)
against real encrypted SQLite files, the real letter service and the real renderer; PDFs read with pypdf."""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from tests import dbkit
from ui.__main__ import main
from ui.cli_letter import TEMPLATES, ProgressLine, _phoned_at
from ui.letter_export import BatchResult, LetterOrder, write_batch
from workstation.audit.auditor import Auditor
from workstation.audit.records import AuditEvent
from workstation.clinical.contract import WELLS_KEYS
from workstation.demo_assessments import DVT_ACTION
from workstation.errors import PermissionDenied
from workstation.letters.records import LetterKind
from workstation.letters.sections import default_request
from workstation.ports import AuditQuery
from workstation.security.accounts import Actor, Role
from workstation.services.session import ClinicSession

OWNER = "owner"
PASSWORD = "tidal moss lantern cobalt"
DEMO_PATIENTS = 200
MISSING_PATIENT = 987_654
REPO = Path(__file__).resolve().parents[2]
WROTE = re.compile(r"^Wrote (.+) \((\d+) pages?, SHA-256 ([0-9a-f]{16})…, reference (CD-[0-9A-F]{8})\)$")
NO_RED_FLAGS = dict.fromkeys(
    (
        "pulmonary_embolism_symptoms", "cauda_equina_signs", "progressive_weakness", "acute_compartment_signs",
        "cellulitis_signs", "systemic_illness", "suspected_rupture", "cold_pale_pulseless_foot",
        "exercise_claudication", "cancer_history_weight_loss_or_night_pain", "severe_unexplained_pain",
    ),
    False,
)  # fmt: skip


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        status = main(list(argv))
    except SystemExit as exit_:
        status = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALFDESK_T0", "0")
    monkeypatch.delenv("CALFDESK_DATABASE", raising=False)
    monkeypatch.setenv("CALFDESK_USER", OWNER)
    monkeypatch.setenv("CALFDESK_PASSWORD", PASSWORD)


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A demo database (patients with assessment histories) and one patient given an urgent assessment.

    ``store`` reads it past the command line, opened with its key (a login per look would take seconds).
    """
    folder = tmp_path_factory.mktemp("letters")
    url = f"sqlite:///{folder / 'demo.sqlite3'}"
    with pytest.MonkeyPatch.context() as environment:  # module-scoped: set up before the autouse fixture
        environment.setenv("CALFDESK_PASSWORD", PASSWORD)
        environment.setenv("CALFDESK_USER", OWNER)
        assert main(["demo", "--patients", str(DEMO_PATIENTS), "--seed", "3", "--database", url]) == 0
        store = dbkit.open_store(url, key=dbkit.unlock_key(url, OWNER, PASSWORD))
        try:
            assessed = {row.id: [record.urgency for record in store.assessments.current_for_patient(row.id)]
                        for row in store.patients.summaries()}  # fmt: skip
            names = {row.id: row.display_name for row in store.patients.summaries()}
            urgent = next(row for row in store.patients.summaries() if not assessed[row.id])
            document = folder / "dvt.json"
            document.write_text(json.dumps(_dvt_document(urgent.date_of_birth.isoformat())), encoding="utf-8")
            imported = ["assessment", "import", str(document), "--patient", str(urgent.id), "--impression", "dvt",
                        "--action", DVT_ACTION, "--database", url]  # fmt: skip
            assert main(imported) == 0
            routine = sorted(patient_id for patient_id, urgencies in assessed.items() if set(urgencies) == {"routine"})
            yield {"url": url, "store": store, "routine": routine, "urgent": urgent.id, "names": names}
        finally:
            store.close()


def _dvt_document(born: str) -> dict[str, Any]:
    return {
        "schema": "calfdesk.assessment/1",
        "assessed_on": (datetime.now().date() - timedelta(days=1)).isoformat(),
        "patient": {"date_of_birth": born},
        "symptomatic_side": "left",
        "history": {"onset": "gradual", "could_continue_running": False, "nprs_worst_24h": 6},
        "heel_raise": {"left_reps": 12, "right_reps": 28, "protocol": "incline_10deg_60bpm"},
        "red_flags": {"wells": dict.fromkeys(WELLS_KEYS, False), "dvt_suspected": True, **NO_RED_FLAGS},
    }


def _letters(clinic: dict[str, Any], patient_id: int) -> list[Any]:
    return list(clinic["store"].letters.for_patient(patient_id))


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def _letter(capsys: pytest.CaptureFixture[str], url: str, *argv: str) -> tuple[int, str, str]:
    return _run(capsys, "letter", *argv, "--database", url)


def _one_plain_line(err: str) -> None:
    assert err.startswith("calfdesk: ") and err.count("\n") == 1, err
    assert "Traceback" not in err


# The command line ------------------------------------------------------------------------------------


def test_the_templates_are_the_letter_kinds() -> None:
    assert tuple(kind.value for kind in LetterKind) == TEMPLATES


def test_a_call_at_a_clock_time_is_today_in_local_time_and_never_later_than_now() -> None:
    midnight = _phoned_at("00:00")
    assert midnight.tzinfo is not None and (midnight.hour, midnight.minute) == (0, 0)
    assert midnight.date() == datetime.now().astimezone().date()
    assert _phoned_at("2026-03-02T11:20+00:00").isoformat() == "2026-03-02T11:20:00+00:00"
    for wrong in ("2026-03-02", "25:00", "half past eleven"):
        with pytest.raises(argparse.ArgumentTypeError, match="not a time"):
            _phoned_at(wrong)
    tomorrow = (datetime.now() + timedelta(days=1)).isoformat(timespec="minutes")
    with pytest.raises(argparse.ArgumentTypeError, match="later than now"):
        _phoned_at(tomorrow)


@pytest.mark.parametrize(
    "argv",
    [
        ["--template", "gp-referral", "--out", "x.pdf"],  # nobody
        ["12", "--template", "gp-referral"],  # nowhere
        ["12", "--ids", "3,4", "--template", "progress", "--out", "x.pdf"],
        ["--ids", "3,4", "--template", "progress", "--out", "x.pdf"],
        ["--ids", "3,4", "--template", "progress", "--out-dir", "d", "--assessment", "5"],
        ["--ids", "3,x", "--template", "progress", "--out-dir", "d"],
        ["12", "--template", "referral", "--out", "x.pdf"],
        ["12", "--template", "gp-referral", "--out", "x.pdf", "--phoned-at", "00:00"],  # whom, what
        ["12", "--template", "gp-referral", "--out", "x.pdf", "--spoken-to", "NHS 111"],
        ["12", "--template", "gp-referral", "--out", "x.pdf", "--phoned-at", "00:00", "--spoken-to", "A",
         "--outcome", "B", "--not-called", "C"],
    ],
)  # fmt: skip
def test_a_wrong_command_line_is_argparses_status_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    status, out, err = _run(capsys, "letter", *argv)
    assert (status, out) == (2, "")
    assert "usage: calfdesk letter" in err and "Traceback" not in err


# One letter -------------------------------------------------------------------------------------------


def test_one_letter_is_the_stored_one_and_is_audited(
    capsys: pytest.CaptureFixture[str], clinic: dict[str, Any], tmp_path: Path
) -> None:
    url, patient_id = clinic["url"], clinic["routine"][0]
    target = tmp_path / "referral.pdf"
    status, out, err = _letter(capsys, url, str(patient_id), "--template", "gp-referral", "--out", str(target))
    assert (status, err) == (0, "")
    shown = WROTE.match(out.rstrip("\n"))
    assert shown is not None and out.count("\n") == 1, out
    assert shown[1] == str(target)
    stored = next(letter for letter in _letters(clinic, patient_id) if letter.reference == shown[4])
    written = target.read_bytes()
    assert hashlib.sha256(written).hexdigest() == stored.sha256 and stored.sha256.startswith(shown[3])
    assert written == clinic["store"].letters.pdf(stored.id)
    assert int(shown[2]) == stored.page_count == len(PdfReader(io.BytesIO(written)).pages)
    assert stored.kind is LetterKind.GP_REFERRAL and stored.author_id is not None
    audit = clinic["store"].audit.in_order()
    events = [(e.event, e.object_id) for e in audit if e.patient_id == patient_id and e.object_type == "letter"]
    assert (AuditEvent.LETTER_FINALISED, str(stored.id)) in events
    assert (AuditEvent.LETTER_EXPORTED, str(stored.id)) in events
    assert not list(tmp_path.glob(".*.tmp")), "the atomic write left its temporary file"


def test_an_existing_file_is_kept_unless_forced(
    capsys: pytest.CaptureFixture[str], clinic: dict[str, Any], tmp_path: Path
) -> None:
    url, patient_id = clinic["url"], clinic["routine"][1]
    target = tmp_path / "letter.pdf"
    target.write_bytes(b"the letter sent last week")
    before = len(_letters(clinic, patient_id))
    status, out, err = _letter(capsys, url, str(patient_id), "--template", "progress", "--out", str(target))
    assert (status, out) == (2, "")
    _one_plain_line(err)
    assert "already exists" in err and "--force" in err
    assert target.read_bytes() == b"the letter sent last week"
    assert len(_letters(clinic, patient_id)) == before, "a refused letter was stored"

    status, out, err = _letter(capsys, url, str(patient_id), "--template", "progress", "--out", str(target), "--force")
    assert (status, err) == (0, "")
    assert target.read_bytes().startswith(b"%PDF-")
    assert len(_letters(clinic, patient_id)) == before + 1


@pytest.mark.parametrize("where", ["no-such-folder/letter.pdf", "notes.txt/letter.pdf", "."])
def test_a_place_that_cannot_take_the_file_is_one_line_and_nothing_is_stored(
    capsys: pytest.CaptureFixture[str], clinic: dict[str, Any], tmp_path: Path, where: str
) -> None:
    (tmp_path / "notes.txt").write_text("not a folder\n", encoding="utf-8")
    url, patient_id = clinic["url"], clinic["routine"][2]
    before = len(_letters(clinic, patient_id))
    status, out, err = _letter(capsys, url, str(patient_id), "--template", "discharge", "--out", str(tmp_path / where))
    assert (status, out) == (2, "")
    _one_plain_line(err)
    assert len(_letters(clinic, patient_id)) == before


def test_another_patients_assessment_is_refused(
    capsys: pytest.CaptureFixture[str], clinic: dict[str, Any], tmp_path: Path
) -> None:
    url = clinic["url"]
    mine, theirs = clinic["routine"][0], clinic["routine"][1]
    their_assessment = clinic["store"].assessments.current_for_patient(theirs)[0].id
    my_assessment = clinic["store"].assessments.current_for_patient(mine)[0].id
    before = len(_letters(clinic, mine))
    target = tmp_path / "wrong.pdf"
    argv = (str(mine), "--template", "progress", "--assessment", str(their_assessment), "--out", str(target))
    status, out, err = _letter(capsys, url, *argv)
    assert (status, out) == (2, "")
    _one_plain_line(err)
    assert "assessment" in err
    assert not target.exists() and len(_letters(clinic, mine)) == before

    argv = (str(mine), "--template", "progress", "--assessment", str(my_assessment), "--out", str(target))
    status, out, err = _letter(capsys, url, *argv)
    assert (status, err) == (0, "")
    assert _letters(clinic, mine)[0].assessment_id == my_assessment


def test_a_missing_patient_is_one_line(
    capsys: pytest.CaptureFixture[str], clinic: dict[str, Any], tmp_path: Path
) -> None:
    target = tmp_path / "nobody.pdf"
    argv = (str(MISSING_PATIENT), "--template", "handout", "--out", str(target))
    status, out, err = _letter(capsys, clinic["url"], *argv)
    assert (status, out) == (2, "")
    _one_plain_line(err)
    assert not target.exists()


# The phone call ---------------------------------------------------------------------------------------


def test_an_urgent_letter_without_the_call_is_refused_and_nothing_is_stored(
    capsys: pytest.CaptureFixture[str], clinic: dict[str, Any], tmp_path: Path
) -> None:
    url, patient_id = clinic["url"], clinic["urgent"]
    target = tmp_path / "urgent.pdf"
    before = len(_letters(clinic, patient_id))
    status, out, err = _letter(capsys, url, str(patient_id), "--template", "gp-referral", "--out", str(target))
    assert (status, out) == (2, "")
    _one_plain_line(err)
    assert "phone call" in err and "--phoned-at" in err and "--not-called" in err and "Nothing was stored" in err
    assert not target.exists() and len(_letters(clinic, patient_id)) == before


def test_the_call_made_is_in_the_urgent_letter(
    capsys: pytest.CaptureFixture[str], clinic: dict[str, Any], tmp_path: Path
) -> None:
    url, patient_id = clinic["url"], clinic["urgent"]
    called = (datetime.now() - timedelta(days=1)).replace(hour=11, minute=20, second=0, microsecond=0)
    target = tmp_path / "urgent.pdf"
    argv = (str(patient_id), "--template", "gp-referral", "--out", str(target), "--phoned-at", called.isoformat(),
            "--spoken-to", "Reception, Riverside Surgery", "--outcome", "Seen today at 15:00 by Dr Patel")  # fmt: skip
    status, _, err = _letter(capsys, url, *argv)
    assert (status, err) == (0, "")
    text = _text(target.read_bytes())
    assert "I telephoned Reception, Riverside Surgery at 11:20" in text
    assert "Seen today at 15:00 by Dr Patel." in text
    stored = _letters(clinic, patient_id)[0]
    assert stored.urgency in ("urgent", "emergency")
    assert stored.phone_call is not None and stored.phone_call.at is not None
    assert stored.phone_call.spoken_to == "Reception, Riverside Surgery"


def test_why_no_call_was_made_goes_only_on_letters_that_need_a_call(
    capsys: pytest.CaptureFixture[str], clinic: dict[str, Any], tmp_path: Path
) -> None:
    url = clinic["url"]
    reason = "Patient taken to ED by ambulance"
    urgent, routine = tmp_path / "urgent.pdf", tmp_path / "routine.pdf"
    for patient_id, target in ((clinic["urgent"], urgent), (clinic["routine"][3], routine)):
        argv = (str(patient_id), "--template", "gp-referral", "--out", str(target), "--not-called", reason)
        status, _, err = _letter(capsys, url, *argv)
        assert (status, err) == (0, "")
    assert f"No telephone call was made: {reason}." in _text(urgent.read_bytes())
    assert "telephone call" not in _text(routine.read_bytes())
    assert _letters(clinic, clinic["routine"][3])[0].phone_call is None


# A batch ----------------------------------------------------------------------------------------------


def test_a_batch_goes_on_past_the_patients_that_fail(
    capsys: pytest.CaptureFixture[str], clinic: dict[str, Any], tmp_path: Path
) -> None:
    url = clinic["url"]
    good = clinic["routine"][4:6]
    ids = [good[0], MISSING_PATIENT, clinic["urgent"], good[1], good[0]]  # the repeat is written once
    folder = tmp_path / "out" / "letters"  # made
    argv = ("--ids", ",".join(map(str, ids)), "--template", "gp-referral", "--out-dir", str(folder))
    status, out, err = _letter(capsys, url, *argv)
    assert status == 1
    files = sorted(path.name for path in folder.iterdir())
    assert len(files) == 2
    for patient_id, name in zip(sorted(good, key=str), files, strict=True):
        assert re.fullmatch(rf"{patient_id} gp-referral CD-[0-9A-F]{{8}}\.pdf", name), name
    for path in folder.iterdir():
        reference = path.stem.split()[-1]
        stored = next(letter for letter in _letters(clinic, int(path.name.split()[0])) if letter.reference == reference)
        assert hashlib.sha256(path.read_bytes()).hexdigest() == stored.sha256
    lines = err.splitlines()
    assert f"calfdesk: patient {MISSING_PATIENT}: " in err
    assert any(line.startswith(f"calfdesk: patient {clinic['urgent']}: ") and "--not-called" in line for line in lines)
    progress = [line for line in lines if line.startswith("letters ")]
    assert progress[-1] == "letters 4/4, 2 failed"
    assert all(re.fullmatch(r"letters \d+/4(, \d failed)?", line) for line in progress)
    assert out == f"Wrote 2 of 4 letters to {folder}; 2 failed (patients {MISSING_PATIENT}, {clinic['urgent']}).\n"
    names = {clinic["names"][patient_id] for patient_id in ids if patient_id in clinic["names"]}
    assert not any(name in err or name in out for name in names), "a patient's name reached the terminal"
    assert "Traceback" not in err


def test_a_batch_with_not_called_writes_the_urgent_letters_too(
    capsys: pytest.CaptureFixture[str], clinic: dict[str, Any], tmp_path: Path
) -> None:
    url = clinic["url"]
    ids_file = tmp_path / "ids.txt"
    ids_file.write_text(f"# this week's referrals\n{clinic['urgent']}\n\n{clinic['routine'][6]}  # seen Monday\n")
    argv = ("--ids-file", str(ids_file), "--template", "gp-referral", "--out-dir", str(tmp_path),
            "--not-called", "Patient taken to ED by ambulance")  # fmt: skip
    status, out, err = _letter(capsys, url, *argv)
    assert status == 0, err
    assert out == f"Wrote 2 of 2 letters to {tmp_path}.\n"
    assert err.splitlines() == ["letters 1/2", "letters 2/2"]
    urgent = next(tmp_path.glob(f"{clinic['urgent']} gp-referral CD-*.pdf"))
    assert "No telephone call was made: Patient taken to ED by ambulance." in _text(urgent.read_bytes())


def test_an_ids_file_with_a_line_that_is_no_id_writes_nothing(
    capsys: pytest.CaptureFixture[str], clinic: dict[str, Any], tmp_path: Path
) -> None:
    ids_file = tmp_path / "ids.txt"
    ids_file.write_text(f"{clinic['routine'][0]}\nZoë\n", encoding="utf-8")
    folder = tmp_path / "letters"
    argv = ("--ids-file", str(ids_file), "--template", "progress", "--out-dir", str(folder))
    status, out, err = _letter(capsys, clinic["url"], *argv)
    assert (status, out) == (2, "")
    _one_plain_line(err)
    assert "line 2" in err and not folder.exists()


@pytest.mark.parametrize("workers", [0, 2])
def test_a_batch_that_the_role_may_not_write_stops_at_its_first_patient(
    clinic: dict[str, Any], tmp_path: Path, workers: int
) -> None:
    store = clinic["store"]
    owner = store.users.find_by_name(OWNER)
    receptionist = Actor(owner.id, OWNER, Role.RECEPTION, "tests")  # demographics only: no letters
    session = ClinicSession(store, receptionist, Auditor(store.audit, "tests"))
    told: list[tuple[int, Exception]] = []
    order = LetterOrder(LetterKind.PROGRESS)
    result = write_batch(session, order, clinic["routine"][:3], tmp_path, today=date.today(),
                         failed=lambda *fail: told.append(fail), workers=workers)  # fmt: skip
    assert (result.written, result.failed, result.not_tried) == ([], told, 2)
    assert [patient_id for patient_id, _ in told] == [clinic["routine"][0]]
    assert isinstance(told[0][1], PermissionDenied)
    assert not list(tmp_path.iterdir())


def test_a_batch_rendered_in_worker_processes_is_the_batch_rendered_here(
    clinic: dict[str, Any], tmp_path: Path
) -> None:
    """Workers render ahead while the main process stores in order: the same letters, failures and
    progress, each letter audited once as finalised and once as exported."""
    store = clinic["store"]
    session = _owner_session(store)
    good = clinic["routine"][7:10]
    ids = [good[0], MISSING_PATIENT, clinic["urgent"], good[1], good[2]]
    order = LetterOrder(LetterKind.GP_REFERRAL)
    runs: dict[int, BatchResult] = {}
    for workers in (2, 0):
        folder = tmp_path / f"workers-{workers}"
        folder.mkdir()
        progress: list[tuple[int, int]] = []
        told: list[int] = []
        result = write_batch(session, order, ids, folder, today=date.today(), workers=workers,
                             progress=lambda *done, seen=progress: seen.append(done),
                             failed=lambda patient_id, _error, seen=told: seen.append(patient_id))  # fmt: skip
        assert progress == [(1, 0), (2, 1), (3, 2), (4, 2), (5, 2)]
        assert told == [MISSING_PATIENT, clinic["urgent"]] == [patient_id for patient_id, _ in result.failed]
        assert [written.stored.patient_id for written in result.written] == good
        runs[workers] = result
    for written in runs[2].written:
        stored = written.stored
        assert hashlib.sha256(written.path.read_bytes()).hexdigest() == stored.sha256
        events = [entry.event for entry in store.audit.query(AuditQuery(patient_id=stored.patient_id))
                  if entry.object_id == str(stored.id)]  # fmt: skip
        assert sorted(events) == sorted([AuditEvent.LETTER_FINALISED, AuditEvent.LETTER_EXPORTED])
    for there, here in zip(runs[2].written, runs[0].written, strict=True):
        assert there.stored.page_count == here.stored.page_count
        text_there = _text(there.path.read_bytes()).replace(there.stored.reference, "REF")
        assert text_there == _text(here.path.read_bytes()).replace(here.stored.reference, "REF")


def _owner_session(store: Any) -> ClinicSession:
    owner = store.users.find_by_name(OWNER)
    return ClinicSession(store, Actor(owner.id, OWNER, owner.role, "tests"), Auditor(store.audit, "tests"))


def test_a_worker_that_dies_costs_time_not_letters(clinic: dict[str, Any], caplog: pytest.LogCaptureFixture) -> None:
    import signal

    from ui.letter_pool import PoolRenderer

    session = _owner_session(clinic["store"])
    letters = []
    for patient_id in clinic["routine"][:3]:
        facts = session.letters.facts(patient_id, assessment_id=None, today=date.today())
        letters.append(session.letters.compose(default_request(LetterKind.PROGRESS, facts), facts))
    with PoolRenderer(1) as renderer:
        assert renderer.submit(letters[0])().pages >= 1  # the worker is up
        for pid in list(renderer._pool._processes):  # type: ignore[union-attr]  # killed as the OOM killer would
            os.kill(pid, signal.SIGKILL)
        rendered = [renderer.submit(letter)() for letter in letters[1:]]
    assert all(result.pdf.startswith(b"%PDF-") and result.pages >= 1 for result in rendered)
    assert "rendering the rest of the batch in this process" in caplog.text


def test_only_a_batch_long_enough_starts_worker_processes() -> None:
    from ui.letter_pool import POOL_MIN_LETTERS, InProcessRenderer, PoolRenderer, letter_renderer, worker_count

    assert worker_count(POOL_MIN_LETTERS - 1) == 0
    assert isinstance(letter_renderer(1), InProcessRenderer)
    assert isinstance(letter_renderer(500, workers=0), InProcessRenderer)
    assert isinstance(letter_renderer(2, workers=2), PoolRenderer)
    assert 0 <= worker_count(500) <= (os.cpu_count() or 1)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_line_is_rewritten_in_place_on_a_terminal() -> None:
    terminal = _Terminal()
    progress = ProgressLine(3, terminal)
    progress(1, 0)
    progress(2, 1)
    progress.interrupt("calfdesk: patient 7: gone")
    progress(3, 1)
    progress.close()  # the last line ended itself: nothing more
    wiped = " " * len("letters 2/3, 1 failed")
    assert terminal.getvalue() == (
        f"\rletters 1/3\rletters 2/3, 1 failed\r{wiped}\rcalfdesk: patient 7: gone\n\rletters 3/3, 1 failed\n"
    )
    stopped = _Terminal()
    progress = ProgressLine(5, stopped)
    progress(1, 0)
    progress.close()
    assert stopped.getvalue() == "\rletters 1/5\n"


def test_the_progress_lines_without_a_terminal_come_every_tenth() -> None:
    log = io.StringIO()
    progress = ProgressLine(500, log)
    for done in range(1, 501):
        progress(done, 0)
    lines = log.getvalue().splitlines()
    assert lines == [f"letters {done}/500" for done in range(50, 501, 50)]


# As a process ------------------------------------------------------------------------------------------


def test_as_a_process_a_letter_loads_no_qt_and_a_failure_has_no_traceback(
    clinic: dict[str, Any], tmp_path: Path
) -> None:
    argv = ["letter", str(clinic["routine"][0]), "--template", "handout", "--out", str(tmp_path / "h.pdf")]
    script = textwrap.dedent(
        f"""
        import sys
        from ui.__main__ import main
        status = main({argv!r} + ["--database", {clinic["url"]!r}])
        loaded = [m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "pyqtgraph") or m == "ui.app"]
        print("LOADED", loaded, "STATUS", status)
        """
    )
    env = _subprocess_env(tmp_path)
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False)
    assert done.stdout.splitlines()[-1] == "LOADED [] STATUS 0", done.stderr
    argv = ["letter", str(MISSING_PATIENT), "--template", "gp-referral", "--out", str(tmp_path / "x.pdf")]
    failed = subprocess.run(
        [sys.executable, "-m", "ui", *argv, "--database", clinic["url"]],
        env=env, capture_output=True, text=True, check=False, cwd=REPO,
    )  # fmt: skip
    assert (failed.returncode, failed.stdout) == (2, "")
    assert failed.stderr.startswith("calfdesk: ") and failed.stderr.count("\n") == 1, failed.stderr


def _subprocess_env(tmp_path: Path) -> dict[str, str]:
    import os

    env = {**os.environ, "PYTHONPATH": str(REPO), "CALFDESK_USER": OWNER, "CALFDESK_PASSWORD": PASSWORD}
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[name] = str(tmp_path / name.lower())
    env.pop("CALFDESK_DATABASE", None)
    return env
