"""``calfdesk letter --squad NAME``: one finalised letter per current member of a squad, run in-process
through ``main()`` against a real encrypted demo database with its assessment histories."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.ui.cli_clinic import OWNER, PASSWORD, as_user, new_clinic, one_plain_line, run, session_of
from ui.cli_assessment import fill_with_demo_assessments
from workstation.records import Consent
from workstation.squads.records import Squad

DEMO_PATIENTS = 40


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALFDESK_T0", "0")
    monkeypatch.delenv("CALFDESK_DATABASE", raising=False)
    monkeypatch.setenv("CALFDESK_USER", OWNER)
    monkeypatch.setenv("CALFDESK_PASSWORD", PASSWORD)


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A demo database with a squad of four: three current members and one who has left; an empty squad."""
    url = f"sqlite:///{tmp_path_factory.mktemp('squad-letters') / 'demo.sqlite3'}"
    store = new_clinic(url)
    try:
        owner = session_of(store)
        fill_with_demo_assessments(owner, DEMO_PATIENTS, 4, share=1.0)
        assessed = [row.id for row in store.patients.summaries() if _routine(store, row.id)]
        club = owner.squads.add_club("Riverside Harriers")
        assert club.id is not None
        squad = owner.squads.save_squad(Squad(club.id, "Tuesday group", season="2026/27"))
        empty = owner.squads.save_squad(Squad(club.id, "Wednesday group", season="2026/27"))
        assert squad.id is not None
        joined = date.today() - timedelta(days=30)
        memberships = [owner.squads.add_member(squad.id, patient_id, joined) for patient_id in assessed[:4]]
        owner.squads.leave_squad(memberships[3], date.today() - timedelta(days=1))
        members = [member.patient_id for member in owner.squads.members(squad.id, date.today())]
        for patient_id in members:  # shared with the club: the coach sees them in the squad
            patient = store.patients.get(patient_id)
            store.patients.update(patient.with_changes(club_consent=Consent(True, joined)))
        yield {"url": url, "store": store, "squad": squad, "empty": empty, "members": members, "left": assessed[3]}
    finally:
        store.close()


def _routine(store: Any, patient_id: int) -> bool:
    """Assessed, and never urgently: each letter goes out without a phone call first."""
    return {record.urgency for record in store.assessments.current_for_patient(patient_id)} == {"routine"}


def _letter(capsys: pytest.CaptureFixture[str], clinic: dict[str, Any], *argv: str) -> tuple[int, str, str]:
    return run(capsys, "letter", *argv, "--database", clinic["url"])


def test_a_squads_letters_go_to_its_current_members_in_list_order(
    capsys: pytest.CaptureFixture[str], clinic: dict[str, Any], tmp_path: Path
) -> None:
    assert len(clinic["members"]) == 3 and clinic["left"] not in clinic["members"]
    folder = tmp_path / "squad letters"
    status, out, err = _letter(capsys, clinic, "--squad", "tuesday GROUP", "--template", "progress",
                               "--out-dir", str(folder))  # fmt: skip
    assert status == 0, err
    assert out == f"Wrote 3 of 3 letters to {folder}.\n"
    assert err.splitlines() == ["letters 1/3", "letters 2/3", "letters 3/3"]
    written = sorted(folder.iterdir())
    assert sorted(int(path.name.split()[0]) for path in written) == sorted(clinic["members"])
    for path in written:
        assert re.fullmatch(r"\d+ progress CD-[0-9A-F]{8}\.pdf", path.name), path.name
        patient_id, reference = int(path.name.split()[0]), path.stem.split()[-1]
        stored = next(item for item in clinic["store"].letters.for_patient(patient_id) if item.reference == reference)
        assert hashlib.sha256(path.read_bytes()).hexdigest() == stored.sha256
    names = {row.display_name for row in clinic["store"].patients.summaries() if row.id in clinic["members"]}
    assert not any(name in out or name in err for name in names)


def test_a_squad_is_also_found_by_its_id(
    capsys: pytest.CaptureFixture[str], clinic: dict[str, Any], tmp_path: Path
) -> None:
    status, out, err = _letter(capsys, clinic, "--squad", str(clinic["squad"].id), "--template", "handout",
                               "--out-dir", str(tmp_path))  # fmt: skip
    assert status == 0, err
    assert out == f"Wrote 3 of 3 letters to {tmp_path}.\n"
    assert sorted(int(path.name.split()[0]) for path in tmp_path.glob("*.pdf")) == sorted(clinic["members"])


@pytest.mark.parametrize("squad", ["Thursday group", "empty"])
def test_a_squad_that_is_not_there_or_has_nobody_writes_nothing(
    capsys: pytest.CaptureFixture[str], clinic: dict[str, Any], tmp_path: Path, squad: str
) -> None:
    name = clinic["empty"].name if squad == "empty" else squad
    folder = tmp_path / "letters"
    before = sum(len(clinic["store"].letters.for_patient(patient_id)) for patient_id in clinic["members"])
    status, out, err = _letter(capsys, clinic, "--squad", name, "--template", "progress", "--out-dir", str(folder))
    assert (status, out) == (2, "")
    one_plain_line(err)
    assert ("no members" in err) == (squad == "empty")
    assert not folder.exists()
    assert sum(len(clinic["store"].letters.for_patient(patient_id)) for patient_id in clinic["members"]) == before


def test_club_staff_may_not_write_a_squads_letters(
    capsys: pytest.CaptureFixture[str], clinic: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    as_user(monkeypatch, "coach.rua")
    status, _, err = _letter(capsys, clinic, "--squad", "Tuesday group", "--template", "progress",
                             "--out-dir", str(tmp_path))  # fmt: skip
    assert status == 1  # the batch stops at its first letter: every later one would be refused the same way
    assert err.splitlines()[0] == f"calfdesk: patient {clinic['members'][0]}: Club staff cannot see clinical records."
    assert not list(tmp_path.glob("*.pdf"))
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "argv",
    [
        ["--squad", "Tuesday group", "--ids", "3,4", "--template", "progress", "--out-dir", "d"],
        ["12", "--squad", "Tuesday group", "--template", "progress", "--out-dir", "d"],
        ["--squad", "Tuesday group", "--template", "progress", "--out", "x.pdf"],
        ["--squad", "Tuesday group", "--template", "progress"],
    ],
)
def test_a_squad_with_another_batch_or_a_single_letters_options_is_argparses_status_2(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    status, out, err = run(capsys, "letter", *argv)
    assert (status, out) == (2, "")
    assert "usage: calfdesk letter" in err and "Traceback" not in err
