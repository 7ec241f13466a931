"""``calfdesk squad import|list|export`` run in-process through ``main()`` (and once as a subprocess) against
real encrypted SQLite files, the real import, squad and exchange services; files read back with csv,
openpyxl and pypdf."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader

from tests import dbkit
from tests.ui.cli_clinic import (
    OWNER,
    PASSWORD,
    REPO,
    as_user,
    copied_clinic,
    new_clinic,
    one_plain_line,
    run,
    subprocess_env,
)
from workstation.audit.records import AuditEvent
from workstation.demo_squads import athlete_csv
from workstation.identifiers import nhs_check_digit
from workstation.records import Consent

SUMMARY = re.compile(
    r"(\d+) rows: (\d+) new, (\d+) already held \(merged\), (\d+) with errors, (\d+) repeated in the file\."
)
JOINED = date(2025, 9, 1)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALFDESK_T0", "0")
    monkeypatch.delenv("CALFDESK_DATABASE", raising=False)
    monkeypatch.setenv("CALFDESK_USER", OWNER)
    monkeypatch.setenv("CALFDESK_PASSWORD", PASSWORD)


@pytest.fixture(scope="module")
def empty_practice(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('practice') / 'club.sqlite3'}"
    new_clinic(url).close()
    return url


@pytest.fixture
def clinic(empty_practice: str, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """An empty practice of this test's own, with staff of every role; ``store`` looks past the command line."""
    url = copied_clinic(empty_practice, tmp_path)
    store = dbkit.open_store(url)
    try:
        yield {"url": url, "store": store}
    finally:
        store.close()


def _squad(capsys: pytest.CaptureFixture[str], clinic: dict[str, Any], *argv: str) -> tuple[int, str, str]:
    return run(capsys, "squad", *argv, "--database", clinic["url"])


def _athletes(tmp_path: Path, count: int, seed: int = 5, name: str = "athletes.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(athlete_csv(count, seed))
    return path


def _table(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _summary(out: str) -> tuple[int, ...]:
    found = SUMMARY.search(out)
    assert found is not None, out
    return tuple(int(group) for group in found.groups())


def _events(store: Any, event: AuditEvent) -> list[Any]:
    return [entry for entry in store.audit.in_order() if entry.event is event]


def _valid_nhs(first_nine: str) -> str:
    digit = nhs_check_digit(first_nine)
    assert digit is not None
    return first_nine + str(digit)


# Import ---------------------------------------------------------------------------------------------------


def test_a_clean_file_makes_the_squad_and_its_club_and_imports_everyone(
    capsys: pytest.CaptureFixture[str], clinic: dict[str, Any], tmp_path: Path
) -> None:
    source = _athletes(tmp_path, 40)
    argv = ("import", str(source), "--squad", "Senior women", "--club", "Riverside Harriers", "--joined", "2025-09-01")
    status, out, err = _squad(capsys, clinic, *argv)
    assert (status, err) == (0, ""), err
    assert out.startswith("athletes.csv")
    assert _summary(out) == (40, 40, 0, 0, 0)
    assert out.splitlines()[-1] == (
        "Imported into the new squad Senior women: 40 new patients, 0 already held (0 with blank fields filled "
        "from the file), 40 joined, 0 already members."
    )
    store = clinic["store"]
    assert store.patients.count() == 40
    (squad,) = store.squads.squads()
    (club,) = store.squads.clubs()
    assert (squad.name, squad.club_id, club.name) == ("Senior women", club.id, "Riverside Harriers")
    members = store.squads.members(squad.id)
    assert len(members) == 40 and {member.joined_on for member in members} == {JOINED}
    (imported,) = _events(store, AuditEvent.ATHLETES_IMPORTED)
    names = {row[0] for row in _table(source.read_bytes())[1:]} | {row[1] for row in _table(source.read_bytes())[1:]}
    assert not any(name and name in imported.detail for name in names), "a name reached the audit"
    assert not (tmp_path / "athletes.rejected.csv").exists()

    status, out, err = _squad(capsys, clinic, "list", "--json")
    assert (status, err) == (0, "")
    assert '"members": 40' in out and '"club": "Riverside Harriers"' in out and '"name": "Senior women"' in out


def test_the_same_file_again_adds_nobody_and_counts_them_as_members_already(
    capsys: pytest.CaptureFixture[str], clinic: dict[str, Any], tmp_path: Path
) -> None:
    source = _athletes(tmp_path, 25)
    assert _squad(capsys, clinic, "import", str(source), "--squad", "Tuesday group")[0] == 0
    status, out, err = _squad(capsys, clinic, "import", str(source), "--squad", "tuesday group ")
    assert (status, err) == (0, ""), err
    assert _summary(out) == (25, 0, 25, 0, 0)
    assert out.splitlines()[-1] == (
        "Imported into the squad Tuesday group: 0 new patients, 25 already held (0 with blank fields filled "
        "from the file), 0 joined, 25 already members."
    )
    assert clinic["store"].patients.count() == 25
    assert len(clinic["store"].squads.squads()) == 1


def _file_with_rejections(tmp_path: Path) -> Path:
    good = _valid_nhs("943476591")
    bad_check_digit = good[:-1] + str((int(good[-1]) + 1) % 10)
    lines = [
        "First name,Surname,DOB,NHS number,Email",
        f"Zoë,Clarke,02/04/1990,{good},zoe@example.org",  # line 2: fine
        ",,14/05/1991,,",  # line 3: no name at all
        "Magnus,Ødegård,31/02/1979,,",  # line 4: there is no 31 February
        "Aoife,Byrne,01/01/2190,,",  # line 5: born in the future
        f"Siobhán,O'Brien,09/07/2001,{bad_check_digit},",  # line 6: the check digit is wrong
        f"Zoë,Clarke,02/04/1990,{good},zoe@example.org",  # line 7: line 2 again
        "Wei,Zhang,04/02/1990,,wei@example.org",  # line 8: fine
    ]
    path = tmp_path / "club export.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_file_with_rejected_rows_imports_nothing_and_the_report_names_every_one(
    capsys: pytest.CaptureFixture[str], clinic: dict[str, Any], tmp_path: Path
) -> None:
    source = _file_with_rejections(tmp_path)
    status, out, err = _squad(capsys, clinic, "import", str(source), "--squad", "Seniors")
    report = tmp_path / "club export.rejected.csv"
    assert status == 2
    one_plain_line(err)
    assert err == f"calfdesk: 5 rows were rejected, so nothing was imported; every rejected row is named in {report}.\n"
    rows, new, held, errors, repeated = _summary(out)
    assert (rows, new, held, errors + repeated) == (7, 2, 0, 5) and repeated == 1
    assert "Zoë" not in err and "Clarke" not in err
    table = _table(report.read_bytes())
    assert [heading.lower() for heading in table[0][:4]] == ["line", "status", "column", "reason"]
    by_line: dict[str, list[list[str]]] = {}
    for row in table[1:]:
        by_line.setdefault(row[0], []).append(row)
    assert set(by_line) == {"3", "4", "5", "6", "7"}
    assert all(row[3].strip() for rows_ in by_line.values() for row in rows_), "a rejected row without its reason"
    assert {row[2] for row in by_line["4"]} == {"DOB"} and {row[2] for row in by_line["5"]} == {"DOB"}
    assert {row[2] for row in by_line["6"]} == {"NHS number"}
    assert "2" in by_line["7"][0][3], "the repeat should name the line it repeats"
    store = clinic["store"]
    assert store.patients.count() == 0 and store.squads.squads() == [] and store.squads.clubs() == []
    assert _events(store, AuditEvent.ATHLETES_IMPORTED) == []


def test_a_dry_run_writes_nothing_to_the_database_and_says_what_an_import_would_do(
    capsys: pytest.CaptureFixture[str], clinic: dict[str, Any], tmp_path: Path
) -> None:
    store = clinic["store"]
    source = _athletes(tmp_path, 30)
    status, out, err = _squad(capsys, clinic, "import", str(source), "--squad", "Juniors", "--club", "Harriers",
                              "--dry-run")  # fmt: skip
    assert (status, err) == (0, ""), err
    assert out.splitlines()[-1] == (
        "Dry run: the file is ready to import and nothing was written. Importing it would add 30 new patients "
        "and 0 already held to a new squad 'Juniors' of a new club 'Harriers'."
    )
    assert store.patients.count() == 0 and store.squads.squads() == [] and store.squads.clubs() == []

    elsewhere = tmp_path / "reports" / "rejected.csv"
    elsewhere.parent.mkdir()
    source = _file_with_rejections(tmp_path)
    status, out, err = _squad(capsys, clinic, "import", str(source), "--squad", "Juniors", "--dry-run",
                              "--report", str(elsewhere))  # fmt: skip
    assert status == 2
    one_plain_line(err)
    assert str(elsewhere) in err and elsewhere.exists()
    assert not (tmp_path / "club export.rejected.csv").exists()
    assert store.patients.count() == 0 and store.squads.squads() == []


def test_dates_are_read_day_first_unless_told_month_first(
    capsys: pytest.CaptureFixture[str], clinic: dict[str, Any], tmp_path: Path
) -> None:
    source = tmp_path / "dates.csv"
    source.write_text("Forename,Last name,Date of birth\nAda,Lovelace,03/04/2001\n", encoding="utf-8")
    assert _squad(capsys, clinic, "import", str(source), "--squad", "A")[0] == 0
    assert _squad(capsys, clinic, "import", str(source), "--squad", "B", "--month-first")[0] == 0
    born = sorted(summary.date_of_birth for summary in clinic["store"].patients.summaries())
    assert born == [date(2001, 3, 4), date(2001, 4, 3)]


def test_an_xlsx_file_is_read_from_the_sheet_named(
    capsys: pytest.CaptureFixture[str], clinic: dict[str, Any], tmp_path: Path
) -> None:
    book = Workbook()
    notes = book.active
    notes.title = "Notes"
    notes.append(["Season 2026/27 registrations"])
    athletes = book.create_sheet("Athletes")
    athletes.append(["Given name", "Family name", "DOB", "Email"])
    athletes.append(["Thị Minh", "Nguyễn", "23/11/1985", "minh@example.org"])
    athletes.append(["Magnus", "Ødegård", "30/01/1979", ""])
    source = tmp_path / "registrations.xlsx"
    book.save(source)
    status, out, err = _squad(capsys, clinic, "import", str(source), "--squad", "Masters", "--sheet", "Athletes")
    assert (status, err) == (0, ""), err
    assert _summary(out) == (2, 2, 0, 0, 0)
    names = sorted((row.given_name, row.family_name) for row in clinic["store"].patients.summaries())
    assert names == [("Magnus", "Ødegård"), ("Thị Minh", "Nguyễn")]

    status, out, err = _squad(capsys, clinic, "import", str(source), "--squad", "Masters", "--sheet", "Results")
    assert status == 2
    one_plain_line(err)
    assert clinic["store"].patients.count() == 2


@pytest.mark.parametrize("kind", ["empty", "nul byte", "too big", "missing", "a folder"])
def test_a_file_that_cannot_be_read_is_one_plain_line_and_nothing_is_imported(
    capsys: pytest.CaptureFixture[str], clinic: dict[str, Any], tmp_path: Path, kind: str
) -> None:
    source = tmp_path / "athletes.csv"
    if kind == "empty":
        source.write_bytes(b"")
    elif kind == "nul byte":
        source.write_bytes(b"First name,Surname,DOB\nZo\x00e,Clarke,02/04/1990\n")
    elif kind == "too big":
        row = b"Zoe,Clarke,02/04/1990,zoe@example.org\n"
        source.write_bytes(b"First name,Surname,DOB,Email\n" + row * (53_000_000 // len(row)))
    elif kind == "a folder":
        source.mkdir()
    status, out, err = _squad(capsys, clinic, "import", str(source), "--squad", "Seniors")
    assert (status, out) == (2, "")
    one_plain_line(err)
    assert clinic["store"].patients.count() == 0 and clinic["store"].squads.squads() == []
    assert not (tmp_path / "athletes.rejected.csv").exists()


@pytest.mark.parametrize("user_name", ["ana.lima", "coach.rua"])
def test_a_role_that_may_not_manage_squads_imports_nothing(
    capsys: pytest.CaptureFixture[str], clinic: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    user_name: str,
) -> None:  # fmt: skip
    as_user(monkeypatch, user_name)  # reception may register patients, club staff may not; neither runs squads
    status, _, err = _squad(capsys, clinic, "import", str(_athletes(tmp_path, 5)), "--squad", "Seniors")
    assert status == 2
    one_plain_line(err)
    assert clinic["store"].patients.count() == 0 and clinic["store"].squads.squads() == []


def test_a_clinician_may_import(
    capsys: pytest.CaptureFixture[str], clinic: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    as_user(monkeypatch, "dr.chen")
    status, _, err = _squad(capsys, clinic, "import", str(_athletes(tmp_path, 5)), "--squad", "Seniors")
    assert (status, err) == (0, "")
    assert clinic["store"].patients.count() == 5


# List and export ----------------------------------------------------------------------------------------


def test_an_empty_practice_lists_no_squads(capsys: pytest.CaptureFixture[str], clinic: dict[str, Any]) -> None:
    assert _squad(capsys, clinic, "list") == (0, "ID  Squad  Season  Club  Members\n(no squads)\n", "")


@pytest.fixture
def imported(capsys: pytest.CaptureFixture[str], clinic: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    """30 athletes imported into "Senior women" of Riverside Harriers; ``file`` holds their rows."""
    source = _athletes(tmp_path, 30, seed=7)
    argv = ("import", str(source), "--squad", "Senior women", "--club", "Riverside Harriers")
    assert _squad(capsys, clinic, *argv)[0] == 0
    (squad,) = clinic["store"].squads.squads()
    return {**clinic, "squad": squad, "file": _table(source.read_bytes())}


def test_the_squad_list_lines_up(capsys: pytest.CaptureFixture[str], imported: dict[str, Any]) -> None:
    status, out, err = _squad(capsys, imported, "list")
    assert (status, err) == (0, "")
    heading, row = out.splitlines()
    assert heading.split() == ["ID", "Squad", "Season", "Club", "Members"]
    assert row.startswith(f"{imported['squad'].id} ") and row.endswith("  30")
    assert row.index("Senior women") == heading.index("Squad")
    assert row.index("Riverside Harriers") == heading.index("Club")
    assert row.index("30") == heading.index("Members")


def test_the_squad_table_as_csv_and_xlsx_and_the_report_as_pdf(
    capsys: pytest.CaptureFixture[str], imported: dict[str, Any], tmp_path: Path
) -> None:
    family_names = {row[1] for row in imported["file"][1:]}
    target = tmp_path / "squad.csv"
    status, out, err = _squad(capsys, imported, "export", "senior WOMEN", "--out", str(target))
    assert (status, err) == (0, ""), err
    assert out == f"Wrote the table (30 athletes, CSV) of the squad Senior women to {target}.\n"
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    rows = _table(target.read_bytes())
    assert len(rows) == 31
    assert {family for family in family_names if any(family in " ".join(row) for row in rows[1:])} == family_names

    workbook = tmp_path / "squad.xlsx"
    status, out, err = _squad(capsys, imported, "export", str(imported["squad"].id), "--out", str(workbook))
    assert (status, err) == (0, ""), err
    sheet = load_workbook(workbook, read_only=True).worksheets[0]
    assert len([row for row in sheet.iter_rows(values_only=True) if any(row)]) == 31

    report = tmp_path / "screening.pdf"
    status, out, err = _squad(capsys, imported, "export", "Senior women", "--out", str(report))
    assert (status, err) == (0, ""), err
    assert out.startswith("Wrote the screening report (30 athletes) of the squad Senior women")
    text = " ".join(page.extract_text() for page in PdfReader(report).pages)
    assert "Senior women" in text
    exported = _events(imported["store"], AuditEvent.SQUAD_EXPORTED)
    assert len(exported) == 3 and all(str(imported["squad"].id) in entry.detail for entry in exported)


def test_the_analytics_file_holds_no_names_or_numbers_of_the_athletes(
    capsys: pytest.CaptureFixture[str], imported: dict[str, Any], tmp_path: Path
) -> None:
    target = tmp_path / "analytics.csv"
    status, out, err = _squad(capsys, imported, "export", "Senior women", "--analytics", "--out", str(target))
    assert (status, err) == (0, ""), err
    assert out == f"Wrote the pseudonymised analytics of the squad Senior women to {target}.\n"
    text = target.read_bytes().decode("utf-8-sig")
    headers = [heading.lower() for heading in imported["file"][0]]
    for row in imported["file"][1:]:
        for heading, value in zip(headers, row, strict=True):
            if value and any(word in heading for word in ("name", "nhs", "medicare", "email", "mobile", "birth")):
                assert value not in text, f"the analytics file holds a {heading}"
    assert len(_events(imported["store"], AuditEvent.SQUAD_ANALYTICS_EXPORTED)) == 1


def test_club_staff_get_the_athletes_who_agreed_to_share_and_their_availability_only(
    capsys: pytest.CaptureFixture[str], imported: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = imported["store"]
    first = store.squads.members(imported["squad"].id)[0]
    patient = store.patients.get(first.patient_id)
    store.patients.update(patient.with_changes(club_consent=Consent(True, date(2025, 9, 1))))
    as_user(monkeypatch, "coach.rua")
    target = tmp_path / "for the coach.csv"
    status, out, err = _squad(capsys, imported, "export", "Senior women", "--out", str(target))
    assert (status, err) == (0, ""), err
    assert "(1 athlete, CSV)" in out
    headings, *rows = _table(target.read_bytes())
    assert len(rows) == 1 and patient.family_name in " ".join(rows[0])
    assert not any(re.search(r"heel|knee|pain|lsi|flag", heading, re.IGNORECASE) for heading in headings), headings
    status, _, err = _squad(capsys, imported, "export", "Senior women", "--out", str(tmp_path / "report.pdf"))
    assert status == 2  # the screening report is clinical
    one_plain_line(err)


def test_an_export_that_cannot_be_written_is_refused_before_anything_is_exported(
    capsys: pytest.CaptureFixture[str], imported: dict[str, Any], tmp_path: Path
) -> None:
    kept = tmp_path / "kept.csv"
    kept.write_text("last week's file\n", encoding="utf-8")
    for argv in (
        ("Senior women", "--out", str(kept)),
        ("Senior women", "--out", str(tmp_path / "squad.txt")),
        ("Senior women", "--analytics", "--out", str(tmp_path / "analytics.pdf")),
        ("Senior women", "--out", str(tmp_path / "no such folder" / "squad.csv")),
        ("Masters", "--out", str(tmp_path / "masters.csv")),
    ):
        status, out, err = _squad(capsys, imported, "export", *argv)
        assert (status, out) == (2, ""), argv
        one_plain_line(err)
    assert kept.read_text(encoding="utf-8") == "last week's file\n"
    assert not any((tmp_path / name).exists() for name in ("squad.txt", "analytics.pdf", "masters.csv"))
    assert _events(imported["store"], AuditEvent.SQUAD_EXPORTED) == []
    status, _, err = _squad(capsys, imported, "export", "Senior women", "--out", str(kept), "--force")
    assert (status, err) == (0, "")
    assert kept.read_bytes().startswith(b"\xef\xbb\xbf")


def test_a_name_two_clubs_use_is_refused_with_their_ids_and_an_id_finds_either(
    capsys: pytest.CaptureFixture[str], clinic: dict[str, Any], tmp_path: Path
) -> None:
    source = _athletes(tmp_path, 3)
    for club in ("Riverside Harriers", "Northern Road Runners"):
        assert _squad(capsys, clinic, "import", str(source), "--squad", "U17", "--club", club)[0] == 0
    status, out, err = _squad(capsys, clinic, "import", str(source), "--squad", "U17")
    assert (status, err.count("\n")) == (2, 1) and "--club" in err
    ids = sorted(squad.id for squad in clinic["store"].squads.squads())
    status, out, err = _squad(capsys, clinic, "export", "U17", "--out", str(tmp_path / "u17.csv"))
    assert (status, out) == (2, "")
    one_plain_line(err)
    assert all(str(squad_id) in err for squad_id in ids)
    status, _, err = _squad(capsys, clinic, "export", str(ids[1]), "--out", str(tmp_path / "u17.csv"))
    assert (status, err) == (0, "")


# As a process ---------------------------------------------------------------------------------------------


def test_as_a_process_the_squad_commands_load_no_qt_and_a_failure_has_no_traceback(
    clinic: dict[str, Any], tmp_path: Path
) -> None:
    source = _athletes(tmp_path, 5)
    script = textwrap.dedent(
        f"""
        import sys
        from ui.__main__ import main
        status = main(["squad", "import", {str(source)!r}, "--squad", "Seniors", "--database", {clinic["url"]!r}])
        status += main(["squad", "list", "--database", {clinic["url"]!r}])
        loaded = [m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "pyqtgraph") or m == "ui.app"]
        print("LOADED", loaded, "STATUS", status)
        """
    )
    env = subprocess_env(tmp_path)
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False)
    assert done.stdout.splitlines()[-1] == "LOADED [] STATUS 0", done.stderr
    (tmp_path / "broken.csv").write_bytes(b"First name,Surname\n\x00\n")
    failed = subprocess.run(
        [sys.executable, "-m", "ui", "squad", "import", str(tmp_path / "broken.csv"), "--squad", "Seniors",
         "--database", clinic["url"]],
        env=env, capture_output=True, text=True, check=False, cwd=REPO,
    )  # fmt: skip
    assert (failed.returncode, failed.stdout) == (2, "")
    assert failed.stderr.startswith("calfdesk: ") and failed.stderr.count("\n") == 1, failed.stderr
    assert clinic["store"].patients.count() == 5


def test_a_joining_day_in_the_future_is_refused_and_nothing_is_imported(
    capsys: pytest.CaptureFixture[str], clinic: dict[str, Any], tmp_path: Path
) -> None:
    source = _athletes(tmp_path, 5)
    status, _out, err = _squad(capsys, clinic, "import", str(source), "--squad", "Juniors", "--joined", "2999-01-01")
    assert status == 2
    assert "--joined 2999-01-01 is in the future" in err
    assert clinic["store"].patients.count() == 0 and clinic["store"].squads.clubs() == []


def test_the_command_line_compares_squad_names_as_the_database_does(
    capsys: pytest.CaptureFixture[str], clinic: dict[str, Any], tmp_path: Path
) -> None:
    source = _athletes(tmp_path, 3)
    assert _squad(capsys, clinic, "import", str(source), "--squad", "Senior women")[0] == 0
    out = tmp_path / "seniors.csv"
    status, _out, err = _squad(capsys, clinic, "export", "  senior   WOMEN ", "--out", str(out))
    assert (status, err) == (0, "")
    assert len(_table(out.read_bytes())) == 4  # the header and the three athletes
