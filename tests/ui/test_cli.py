"""The ``calfdesk`` command line, run in-process through ``main()`` and, where the process matters, as a
subprocess, against real SQLite files in tmp_path."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from tests import dbkit
from ui.__main__ import main
from ui.cli import display_width
from workstation.identifiers import format_nhs_number
from workstation.text import fold, search_words

DEMO_PATIENTS = 200
JSON_FIELDS = {"id", "given_name", "family_name", "preferred_name", "date_of_birth", "nhs_number", "medicare_number"}
REPO = Path(__file__).resolve().parents[2]


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        status = main(list(argv))
    except SystemExit as exit_:
        status = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    return status, out, err


OWNER = "owner"
PASSWORD = "tidal moss lantern cobalt"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # main() stamps CALFDESK_T0 for the window; monkeypatch restores the environment afterwards.
    # No terminal here, so every command logs in with $CALFDESK_USER and $CALFDESK_PASSWORD, and a demo
    # on a new database makes that user its owner.
    monkeypatch.setenv("CALFDESK_T0", "0")
    monkeypatch.delenv("CALFDESK_DATABASE", raising=False)
    monkeypatch.setenv("CALFDESK_USER", OWNER)
    monkeypatch.setenv("CALFDESK_PASSWORD", PASSWORD)


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite3'}"
    with pytest.MonkeyPatch.context() as environment:  # module-scoped: set up before the autouse fixture
        environment.setenv("CALFDESK_PASSWORD", PASSWORD)
        argv = ["demo", "--patients", str(DEMO_PATIENTS), "--seed", "1", "--user", OWNER, "--database", url]
        assert main(argv) == 0
    return url


def _listed(capsys: pytest.CaptureFixture[str], url: str, *options: str) -> list[dict[str, Any]]:
    status, out, err = _run(capsys, "patients", "list", "--database", url, "--json", *options)
    assert (status, err) == (0, "")
    rows: list[dict[str, Any]] = json.loads(out)
    return rows


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "--version") == (0, "calfdesk 0.1.0\n", "")


def test_demo_reports_what_it_added(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "new.sqlite3"
    status, out, err = _run(capsys, "demo", "--patients", "30", "--database", str(target))
    assert (status, err) == (0, "")
    # A new database is encrypted, and its recovery key is shown this once, before the summary.
    recovery, summary = out.rsplit("\n\n", 1)
    assert "recovery key" in recovery and re.search(r"\n    ([A-Z2-7]{4}-){7}[A-Z2-7]{4}$", recovery)
    where = re.escape(str(target))
    assert re.fullmatch(rf"Added 30 demo patients and \d+ episodes to {where} in \d+\.\d s\.\n", summary)


def test_the_list_as_json_holds_every_demo_patient_as_written(
    capsys: pytest.CaptureFixture[str], demo_url: str
) -> None:
    rows = _listed(capsys, demo_url)
    assert len(rows) == DEMO_PATIENTS
    assert len({row["id"] for row in rows}) == DEMO_PATIENTS
    assert set(rows[0]) >= JSON_FIELDS
    assert any(row["given_name"] == "Zoë" for row in rows)
    assert any(row["family_name"] == "Nguyễn" and row["given_name"] == "Thị Minh" for row in rows)
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["date_of_birth"]) for row in rows)


def test_json_is_utf8_with_the_letters_themselves(capsys: pytest.CaptureFixture[str], demo_url: str) -> None:
    status, out, _ = _run(capsys, "patients", "list", "--database", demo_url, "--json", "--search", "nguyen")
    assert status == 0
    assert "Nguyễn" in out and "\\u" not in out


def test_search_finds_only_matching_patients(capsys: pytest.CaptureFixture[str], demo_url: str) -> None:
    everyone = _listed(capsys, demo_url)
    found = _listed(capsys, demo_url, "--search", "zoe")
    assert any(row["given_name"] == "Zoë" and row["family_name"] == "Clarke" for row in found)
    for row in found:
        words = search_words(f"{row['given_name']} {row['family_name']} {row['preferred_name']}")
        assert any(word.startswith("zoe") for word in words), row
    expected = [row["id"] for row in everyone if any(w.startswith("zoe") for w in _name_words(row))]
    assert [row["id"] for row in found] == expected  # all of them, in list order


def _name_words(row: dict[str, Any]) -> tuple[str, ...]:
    return search_words(f"{row['given_name']} {row['family_name']} {row['preferred_name']}")


def test_search_by_identifier_typed_with_spaces(capsys: pytest.CaptureFixture[str], demo_url: str) -> None:
    patient = next(row for row in _listed(capsys, demo_url) if row["nhs_number"])
    found = _listed(capsys, demo_url, "--search", format_nhs_number(patient["nhs_number"]))
    assert [row["id"] for row in found] == [patient["id"]]


def test_search_by_date_of_birth_in_the_clinics_order(capsys: pytest.CaptureFixture[str], demo_url: str) -> None:
    patient = _listed(capsys, demo_url)[17]
    year, month, day = patient["date_of_birth"].split("-")
    found = _listed(capsys, demo_url, "--search", f"{day}/{month}/{year}")
    assert patient["id"] in [row["id"] for row in found]
    assert all(row["date_of_birth"] == patient["date_of_birth"] for row in found)


def test_a_search_that_matches_nobody(capsys: pytest.CaptureFixture[str], demo_url: str) -> None:
    assert _listed(capsys, demo_url, "--search", "xqzzy") == []
    status, out, _ = _run(capsys, "patients", "list", "--database", demo_url, "--search", "xqzzy")
    assert status == 0
    assert out.splitlines()[-1] == "(no patients)"


def test_limit_gives_the_start_of_the_list(capsys: pytest.CaptureFixture[str], demo_url: str) -> None:
    everyone = _listed(capsys, demo_url)
    assert _listed(capsys, demo_url, "--limit", "5") == everyone[:5]
    assert len(_listed(capsys, demo_url, "--search", "a", "--limit", "3")) == 3


def test_list_order_is_family_name_then_given_name(capsys: pytest.CaptureFixture[str], demo_url: str) -> None:
    keys = [fold(row["family_name"] or row["given_name"]) for row in _listed(capsys, demo_url)]
    assert keys == sorted(keys)


def test_the_table_lines_up_whatever_the_letters(capsys: pytest.CaptureFixture[str], demo_url: str) -> None:
    status, out, err = _run(capsys, "--database", demo_url, "patients", "list")
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "Name", "Preferred", "Born", "NHS", "number", "Medicare"]
    assert len(lines) == DEMO_PATIENTS + 1
    born_column = display_width(lines[0][: lines[0].index("Born")])
    for line in lines[1:]:
        date = re.search(r"\d{2}/\d{2}/\d{4}", line)
        assert date and display_width(line[: date.start()]) == born_column, line
    assert any("Nguyễn, Thị Minh" in line for line in lines)


def test_display_width_counts_terminal_columns() -> None:
    assert display_width("Nguyễn") == 6
    assert display_width("Nguye\u0302\u0303n") == 6  # decomposed: the marks take no column
    assert display_width("王伟") == 4


def test_the_database_option_may_follow_the_command_or_come_from_the_environment(
    capsys: pytest.CaptureFixture[str], demo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _run(capsys, "--database", demo_url, "patients", "list", "--json", "--limit", "2")
    after = _run(capsys, "patients", "list", "--json", "--limit", "2", "--database", demo_url)
    monkeypatch.setenv("CALFDESK_DATABASE", demo_url)
    from_environment = _run(capsys, "patients", "list", "--json", "--limit", "2")
    assert before == after == from_environment
    assert before[0] == 0


def test_demo_data_never_goes_into_a_database_that_has_patients(
    capsys: pytest.CaptureFixture[str], demo_url: str
) -> None:
    status, out, err = _run(capsys, "demo", "--patients", "5", "--database", demo_url)
    assert (status, out) == (2, "")
    assert err.startswith("calfdesk: This database already holds patients")
    assert err.count("\n") == 1
    assert len(_listed(capsys, demo_url)) == DEMO_PATIENTS


@pytest.mark.parametrize(
    "database",
    [
        pytest.param("{tmp}", id="a folder"),
        pytest.param("sqlite:///{tmp}", id="a folder as a URL"),
        pytest.param("mysql://clinic@localhost/calfdesk", id="an unsupported server"),
        pytest.param("sqlite://", id="memory only"),
        pytest.param("{tmp}/notes.txt/calfdesk.sqlite3", id="a file where a folder should be"),
        pytest.param("{tmp}/notes.txt", id="a file that is not a database"),
    ],
)
def test_a_database_that_cannot_be_used_gives_one_line_and_status_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, database: str
) -> None:
    (tmp_path / "notes.txt").write_text("Not a database: notes about a patient's calf.\n" * 200, encoding="utf-8")
    status, out, err = _run(capsys, "patients", "list", "--database", database.format(tmp=tmp_path))
    assert (status, out) == (2, "")
    assert err.startswith("calfdesk: ")
    assert err.count("\n") == 1, err
    assert "Traceback" not in err


def test_listing_a_database_that_does_not_exist_does_not_create_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = tmp_path / "typo.sqlite3"
    status, out, err = _run(capsys, "patients", "list", "--database", str(missing))
    assert (status, out) == (2, "")
    assert err == f"calfdesk: There is no CalfDesk database at {missing}. Check the path and --database.\n"
    assert not missing.exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["demo", "--patients", "0"],
        ["demo", "--patients", "many"],
        ["patients", "list", "--limit", "-1"],
        ["patients"],
        ["no-such-command"],
        ["--startup-check", "patients", "list"],
    ],
)
def test_a_wrong_command_line_is_argparses_status_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    status, out, err = _run(capsys, *argv)
    assert (status, out) == (2, "")
    assert "usage: calfdesk" in err


def _subprocess_env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[name] = str(tmp_path / name.lower())
    env.pop("CALFDESK_DATABASE", None)
    return env


def test_the_command_line_never_loads_qt(tmp_path: Path, demo_url: str) -> None:
    script = textwrap.dedent(
        f"""
        import sys
        from ui.__main__ import main
        status = main(["patients", "list", "--search", "zoe", "--database", {demo_url!r}])
        status += main(["demo", "--patients", "3", "--database", {str(tmp_path / "qt-free.sqlite3")!r}])
        loaded = [m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "pyqtgraph") or m == "ui.app"]
        print("LOADED", loaded, "STATUS", status)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=_subprocess_env(tmp_path), capture_output=True, text=True, check=False
    )
    assert result.stdout.splitlines()[-1] == "LOADED [] STATUS 0", result.stderr


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path, demo_url: str) -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "ui", "--database", demo_url, "patients", "list"],
        env=_subprocess_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.readline().startswith(b"ID")
        process.stdout.close()  # like `| head -1`
        errors = process.stderr.read()
    assert b"Traceback" not in errors
    assert process.returncode in (0, 1)


def test_init_creates_the_owner_who_can_then_log_in(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    status, out, err = _run(capsys, "init", "--owner", "sam.okafor", "--full-name", "Sam Okafor", "--database", url)
    assert (status, err) == (0, "")
    assert out.startswith("Created the practice owner 'sam.okafor' (administrator)")
    listed = _run(capsys, "patients", "list", "--user", "sam.okafor", "--database", url)
    assert listed == (0, "ID  Name  Preferred  Born  NHS number  Medicare\n(no patients)\n", "")
    again = _run(capsys, "init", "--owner", "someone", "--database", url)
    assert again[0] == 2 and "already has its owner" in again[2]


def test_a_wrong_password_is_status_3_and_one_line(
    capsys: pytest.CaptureFixture[str], demo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CALFDESK_PASSWORD", "not the password at all")
    assert _run(capsys, "patients", "list", "--database", demo_url) == (
        3, "", "calfdesk: The user name or password is wrong.\n"
    )
    monkeypatch.delenv("CALFDESK_PASSWORD")
    status, out, err = _run(capsys, "patients", "list", "--database", demo_url)
    assert (status, out) == (3, "")
    assert err.startswith("calfdesk: No password") and err.count("\n") == 1


def test_patient_data_needs_a_user(
    capsys: pytest.CaptureFixture[str], demo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CALFDESK_USER")
    status, out, err = _run(capsys, "patients", "list", "--database", demo_url)
    assert (status, out) == (3, "")
    assert "--user" in err


def test_a_weak_owner_password_is_refused_with_its_reason(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CALFDESK_PASSWORD", "short")
    target = tmp_path / "weak.sqlite3"
    status, out, err = _run(capsys, "demo", "--patients", "3", "--database", str(target))
    assert (status, out) == (2, "")
    assert "15 characters" in err


def test_listing_is_audited_and_the_audit_verifies(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'audited.sqlite3'}"
    assert _run(capsys, "demo", "--patients", "5", "--database", url)[0] == 0
    assert _run(capsys, "patients", "list", "--database", url)[0] == 0
    status, out, err = _run(capsys, "audit", "verify", "--database", url)
    assert (status, err) == (0, "")
    assert re.fullmatch(r"The audit trail is intact: \d+ entries, head \d+ [0-9a-f]{64}\.\n", out)
    with dbkit.raw(url, key=dbkit.unlock_key(url, OWNER, PASSWORD)) as raw:
        events = [row[0] for row in raw.execute("SELECT event FROM audit_entry ORDER BY sequence")]
        assert "patient_list.exported" in events and "demo_data.added" in events
        # Someone with the file edits an entry: the trigger must go first, as it refuses the change.
        for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
            raw.execute(f'DROP TRIGGER "{name}"')
        raw.execute("UPDATE audit_entry SET detail = 'nothing to see' WHERE sequence = 2")
    status, out, err = _run(capsys, "audit", "verify", "--database", url)
    assert (status, out) == (2, "")
    assert err.startswith("calfdesk: the audit trail does not verify:") and "2" in err
