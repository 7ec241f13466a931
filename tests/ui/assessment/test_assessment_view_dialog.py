"""The read-only view of a finalised assessment, on assessments finalised through the real service."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from tests.workstation.assessment.test_summary_lines import document
from ui.assessment.assessment_view_dialog import AssessmentViewDialog, open_assessment_view
from workstation.assessment.draft import AssessmentDraft
from workstation.assessment.plan import plan_for
from workstation.assessment.records import AssessmentRecord
from workstation.audit.auditor import Auditor
from workstation.clinical.differential import NOTICE
from workstation.dates import DateOrder
from workstation.ports import ClinicStore
from workstation.records import Episode, Patient, Sex, Side
from workstation.services.accounts import Accounts
from workstation.services.session import ClinicSession

PASSWORD = "kettle orbit saffron lane"
DVT_ACTION = "Phoned GP practice 11:20; patient sent to ED for a scan"
FIBULA_ACTION = "X-ray requested, no running until reviewed"


class Clinic:
    """A clinician's session on a real database, with one patient and one episode."""

    def __init__(self, store: ClinicStore, day: date) -> None:
        auditor = Auditor(store.audit, "room-2")
        owner = Accounts(store.users, auditor).create_owner("sam.okafor", "Sam Okafor", PASSWORD)
        self.session = ClinicSession(store, owner.actor, auditor)
        patient = store.patients.add(Patient("Ada", "<b>Runner</b>", date(day.year - 38, 1, 1), sex=Sex.MALE))
        assert patient.id is not None
        episode = store.episodes.add(Episode(patient.id, "Calf pain", Side.NONE, day - timedelta(days=20)))
        assert episode.id is not None
        self.patient_id, self.episode_id, self.day = patient.id, episode.id, day

    def finalise(self, doc: dict[str, Any], detail: dict[str, Any], *, amends: int | None = None) -> AssessmentRecord:
        draft = AssessmentDraft(self.patient_id, self.episode_id, doc, detail, amends_id=amends)
        at = datetime(self.day.year, self.day.month, self.day.day, 10, 5, tzinfo=UTC)
        return self.session.assessments.finalise(draft, today=self.day, country=None, at=at)


def _flagged_document(day: date) -> dict[str, Any]:
    doc = document(dvt_suspected=True)
    doc["assessed_on"] = day.isoformat()
    doc["patient"] = {"age_years": 38, "sex": "male"}
    doc["examination"]["focal_fibula_tenderness"] = True
    return doc


def _detail(impression: str) -> dict[str, Any]:
    return {
        "impression": {"condition": "other", "text": impression},
        "plan": plan_for("dvt_referral").as_detail(),
        "red_flag_actions": {"dvt": DVT_ACTION, "bone_stress_injury": FIBULA_ACTION},
        "heel_raise": {"bent_left_reps": 12, "bent_right_reps": 20},
    }


@pytest.fixture
def clinic(open_store: Callable[..., ClinicStore], today: Callable[[], date]) -> Clinic:
    return Clinic(open_store(), today())


def _open(qtbot: QtBot, record: AssessmentRecord, **names: str) -> AssessmentViewDialog:
    dialog = open_assessment_view(record, DateOrder.DAY_MONTH_YEAR, None, **names)
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    return dialog


def test_the_view_shows_the_stored_assessment_with_its_flags_and_actions(
    qtbot: QtBot, clinic: Clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = clinic.finalise(_flagged_document(clinic.day), _detail("Suspected DVT, sent the same day"))
    # What was shown when finalising is read back, not worked out again.
    monkeypatch.setattr("workstation.clinical.evaluate.evaluate", lambda *a, **k: pytest.fail("engine re-run"))
    dialog = _open(qtbot, record, episode_title="Calf pain", finalised_by="Sam Okafor")
    assert not dialog.isModal()
    assert dialog.isSizeGripEnabled()
    assert dialog.title.text() == f"Assessed on {clinic.day:%d/%m/%Y}"
    assert dialog.windowTitle() == f"Assessment of {clinic.day:%d/%m/%Y} (read-only)"
    header = dialog.header.text().splitlines()
    assert header[0] == "Episode: Calf pain"
    assert header[1].startswith("Finalised by Sam Okafor on ")
    assert len(header) == 2
    assert not dialog.amendment.isVisible()
    assert dialog.urgency.text() == "Urgency: Urgent – same day"
    assert dialog.banner.codes == ["dvt", "bone_stress_injury"]
    stored = json.loads(record.evaluation)["red_flags"]
    card = dialog.banner.card("dvt")
    assert card is not None and card.message.text() == stored[0]["message"]
    assert card.action_field is None  # read-only: nothing to type
    assert dialog.actions["dvt"].text() == f"Action taken: {DVT_ACTION}"
    assert dialog.actions["bone_stress_injury"].text() == f"Action taken: {FIBULA_ACTION}"
    assert not dialog.no_flags.isVisible()
    findings = dialog.labels["findings"].text().splitlines()
    assert findings[1] == (
        "Heel raise, straight knee (reps): left 18, right 31, LSI 58.1 %, age and sex norm 32. "
        "Flags: Under 30 reps; Below the age and sex norm; LSI under 90 %"
    )
    assert "Heel raise, bent knee (reps): left 12, right 20, LSI 60.0 %. Flags: LSI under 90 %" in findings
    assert any(line.startswith("Knee to wall: left 9 cm (32.4°), right 11.5 cm (41.4°)") for line in findings)
    assert "LEFS total: 61 of 80" in findings
    assert dialog.notice.text() == NOTICE and dialog.notice.isVisible()
    top = json.loads(record.evaluation)["differential"][0]["condition"]
    assert top == "dvt"  # the DVT flag puts it first, as it was shown
    assert dialog.labels["differential"].text().startswith("1. Deep vein thrombosis (score ")
    assert dialog.labels["impression"].text() == "Other\nSuspected DVT, sent the same day"
    assert dialog.labels["plan"].text().startswith("Pathway: ")


def test_a_correction_says_what_it_corrects_and_why(qtbot: QtBot, clinic: Clinic) -> None:
    first = clinic.finalise(_flagged_document(clinic.day), _detail("First reading"))
    doc = _flagged_document(clinic.day)
    doc["heel_raise"]["left_reps"] = 19
    detail = {**_detail("Second reading"), "amendment_reason": "Left count was 19, not 18"}
    corrected = clinic.finalise(doc, detail, amends=first.id)
    dialog = _open(qtbot, corrected)
    assert dialog.amendment.isVisible()
    assert "Correction" not in dialog.header.text()
    assert dialog.amendment.text() == (
        f"Correction of an earlier version (assessment {first.id}). Reason: Left count was 19, not 18"
    )
    assert "left 19, right 31" in dialog.labels["findings"].text()


def test_every_stored_text_is_shown_as_typed_never_as_markup(qtbot: QtBot, clinic: Clinic) -> None:
    record = clinic.finalise(_flagged_document(clinic.day), _detail("<b>x</b> & <i>y</i>"))
    dialog = _open(qtbot, record, episode_title="<b>Calf</b>", finalised_by="<u>Sam</u>")
    assert dialog.labels["impression"].text() == "Other\n<b>x</b> & <i>y</i>"
    assert "Episode: <b>Calf</b>" in dialog.header.text()
    assert "Finalised by <u>Sam</u>" in dialog.header.text()
    labels = dialog.findChildren(QLabel)
    assert labels and all(label.textFormat() == Qt.TextFormat.PlainText for label in labels)
    selectable = Qt.TextInteractionFlag.TextSelectableByMouse
    assert all(label.textInteractionFlags() & selectable for label in labels)


def test_a_routine_assessment_says_no_flags_and_escape_closes_it(qtbot: QtBot, clinic: Clinic) -> None:
    doc = _flagged_document(clinic.day)
    doc["red_flags"]["dvt_suspected"] = False
    doc["examination"]["focal_fibula_tenderness"] = False
    detail = {"impression": {"condition": "overload", "text": ""}, "plan": plan_for("overload").as_detail()}
    record = clinic.finalise(doc, detail)
    dialog = _open(qtbot, record)
    assert dialog.urgency.text() == "Urgency: Routine"
    assert dialog.no_flags.isVisible() and not dialog.banner.isVisible()
    assert dialog.low_confidence.isVisible() is json.loads(record.evaluation)["low_confidence"]
    assert dialog.labels["impression"].text() == "Calf overload"
    dialog.activateWindow()
    with qtbot.waitSignal(dialog.finished, timeout=5_000):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
