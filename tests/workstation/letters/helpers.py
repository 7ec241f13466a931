"""Real records for letter tests: documents evaluated by the engine, finalised as the wizard finalises them,
observations stored as finalising stores them, and the progress series built from those."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from workstation.assessment.draft import AssessmentDraft
from workstation.assessment.finalize import assessment_record_of, observations_of
from workstation.assessment.plan import plan_for
from workstation.assessment.records import AssessmentRecord, RedFlagRecord
from workstation.clinical.contract import WELLS_KEYS, parse_assessment
from workstation.clinical.country import Country
from workstation.clinical.evaluate import evaluate
from workstation.letters.document import Block, Bullets, ExerciseCard, Fields, Letter, Section, Table, Text
from workstation.letters.records import ClinicianProfile, ClinicProfile, LetterFacts, PhoneCall, SectionKey
from workstation.progress.chart_data import ProgressInputs, ProgressSeries
from workstation.progress.series import build_progress
from workstation.records import Episode, GeneralPractitioner, Observation, Patient, Sex, Side
from workstation.running.records import RunRecord

PATIENT_ID = 7
EPISODE_ID = 3
TODAY = date(2026, 12, 1)
FIRST_DAY = date(2026, 11, 3)
ONSET = date(2026, 10, 30)
NO_RED_FLAGS = dict.fromkeys(
    ("dvt_suspected", "pulmonary_embolism_symptoms", "cauda_equina_signs", "progressive_weakness",
     "acute_compartment_signs", "cellulitis_signs", "systemic_illness", "suspected_rupture",
     "cold_pale_pulseless_foot", "exercise_claudication", "cancer_history_weight_loss_or_night_pain",
     "severe_unexplained_pain"),
    False,
)  # fmt: skip
NAME_GIVEN, NAME_FAMILY = "Zoë", "Ødegård-O'Brien"


def patient(**changes: Any) -> Patient:
    base = Patient(
        NAME_GIVEN, NAME_FAMILY, date(1990, 1, 1), Sex.FEMALE, phone="07700 900123",
        address="12 Mill Lane\nLeeds LS6 2AB", nhs_number="9434765919", medicare_number="2123456701",
        medicare_irn="1", gp=GeneralPractitioner("Dr A Patel", "Riverside Surgery", "1 River Road\nLeeds LS1 1AA"),
        id=PATIENT_ID,
    )  # fmt: skip
    return replace(base, **changes)


def document(on: date = FIRST_DAY, *, left: int = 14, right: int = 31, **red_flags: Any) -> dict[str, Any]:
    """A gradual-onset left calf overload, every Wells item answered (an alternative diagnosis is as likely)."""
    wells = {**dict.fromkeys(WELLS_KEYS, False), "alternative_diagnosis_as_likely": True}
    return {
        "schema": "calfdesk.assessment/1",
        "assessed_on": on.isoformat(),
        "patient": {"date_of_birth": "1990-01-01", "sex": "female"},
        "symptomatic_side": "left",
        "history": {"onset": "gradual", "could_continue_running": True, "pain_builds_predictably_in_run": True,
                    "recent_load_changes": ["mileage_increase", "hills"], "previous_calf_strain": False,
                    "bone_health_risk": False, "back_buttock_or_thigh_symptoms": False,
                    "nprs_now": 4, "nprs_worst_24h": 6, "nprs_during_run": 7},
        "examination": {"local_muscle_tenderness": True, "focal_fibula_tenderness": False, "hop_pain": False,
                        "calf_swelling_warmth_or_redness": False},
        "heel_raise": {"left_reps": left, "right_reps": right, "protocol": "incline_10deg_60bpm", "knee": "straight"},
        "knee_to_wall": {"left_cm": 9.0, "right_cm": 11.5},
        "neural": {"slump": "negative", "straight_leg_raise": "not_tested", "neurological_deficit": False},
        "red_flags": {"wells": wells, **NO_RED_FLAGS, "dvt_risk_factors": [], **red_flags},
        "outcomes": {"psfs": [{"activity": "Run 10 km", "score": 3}, {"activity": "Parkrun", "score": 4}],
                     "lefs_total": 55},
    }  # fmt: skip


def detail(pathway: str = "overload", *, phase: int | None = 2, country: Country | None = Country.UK,
           **more: Any) -> dict[str, Any]:  # fmt: skip
    plan = plan_for(pathway, country=country).as_detail()
    plan["return_to_run_phase"] = phase
    return {
        "history": {"notes": "Builds after 5 km.", "mechanism": "<b>pushed</b> off & felt it"},
        "heel_raise": {"cadence_bpm": 60, "incline_deg": 10, "footwear": "barefoot", "termination_left": "fatigue"},
        "impression": {"condition": "overload", "text": "Calf overload after a jump in mileage."},
        "plan": plan,
        **more,
    }


class Course:
    """Assessments of one episode, finalised in order, with the observations they store."""

    def __init__(self) -> None:
        self.records: list[AssessmentRecord] = []
        self.observations: list[Observation] = []

    def add(self, doc: dict[str, Any], extra: dict[str, Any] | None = None, *, country: Country | None = Country.UK,
            episode_id: int | None = EPISODE_ID) -> AssessmentRecord:  # fmt: skip
        draft = AssessmentDraft(PATIENT_ID, episode_id, doc, extra if extra is not None else detail())
        evaluation = evaluate(parse_assessment(doc, today=TODAY), country=country)
        number = len(self.records) + 11
        record = replace(assessment_record_of(draft, evaluation, recorded_by=5), id=number,
                         finalised_at=datetime.combine(draft_day(doc), datetime.min.time(), UTC))  # fmt: skip
        observed = observations_of(draft, evaluation, patient_id=PATIENT_ID, episode_id=episode_id, recorded_by=5)
        self.observations += [replace(o, assessment_id=number) for o in observed]
        self.records.append(record)
        return record

    def progress(self, who: Patient, runs: tuple[RunRecord, ...] = ()) -> ProgressSeries:
        made = ProgressInputs(who, tuple(self.observations), tuple(self.records), runs, (episode(),), ())
        return build_progress(made, today=TODAY, unit="km")


def draft_day(doc: dict[str, Any]) -> date:
    return date.fromisoformat(doc["assessed_on"])


def episode(**changes: Any) -> Episode:
    return replace(Episode(PATIENT_ID, "Left calf pain, gradual", Side.LEFT, ONSET, id=EPISODE_ID), **changes)


def flag_record(code: str, tier: str, *, action: str | None = None, assessment_id: int | None = None) -> RedFlagRecord:
    raised = datetime(2026, 12, 1, 10, 5, tzinfo=UTC)
    message = f"Engine advice for {code}."
    return RedFlagRecord(
        PATIENT_ID, EPISODE_ID, code, tier, message, raised, assessment_id=assessment_id, action=action
    )


def clinic(country: Country | None = Country.UK) -> ClinicProfile:
    return ClinicProfile("Northside Physio", "3 High Street\nLeeds LS2 9JT", "0113 496 0000", "hello@example.org",
                         country)  # fmt: skip


def clinician(**changes: Any) -> ClinicianProfile:
    base = ClinicianProfile(5, "Sam Carter", registration_body="HCPC", registration_number="PH123456",
                            phone="0113 496 0001")  # fmt: skip
    return replace(base, **changes)


def facts(course: Course | None = None, *, country: Country | None = Country.UK, who: Patient | None = None,
          red_flags: tuple[RedFlagRecord, ...] = (), progress: bool = True, runs: tuple[RunRecord, ...] = (),
          phone_call: PhoneCall | None = None, **changes: Any) -> LetterFacts:  # fmt: skip
    """Facts as ``LetterService.facts`` reads them: the latest assessment chosen, the first as the baseline."""
    who = who or patient()
    records = tuple(course.records) if course else ()
    series = course.progress(who, runs) if course and progress else None
    made = LetterFacts(
        patient=who,
        assessment=records[-1] if records else None,
        first_assessment=records[0] if records else None,
        assessments=records,
        episode=episode(),
        red_flags=red_flags,
        progress=series,
        clinic=clinic(country),
        clinician=clinician(),
        today=TODAY,
        phone_call=phone_call,
    )
    return replace(made, **changes)


def weekly_runs(last: date = TODAY, weeks: int = 5, km: float = 8.0) -> tuple[RunRecord, ...]:
    return tuple(RunRecord(PATIENT_ID, last - timedelta(days=7 * week), km) for week in range(weeks))


def demo_course(complaint: str, *, country: Country | None = Country.UK, seed: int = 3) -> Course:
    """A realistic course of care from the demo generator (one episode with ``complaint``), finalised."""
    from workstation.demo_assessments import DemoEpisode, generate_assessment_courses

    demo = DemoEpisode(PATIENT_ID, EPISODE_ID, date(1990, 1, 1), "female", "left", complaint, date(2026, 9, 1), None)
    course = Course()
    for made in next(iter(generate_assessment_courses([demo], seed, TODAY))):
        course.add(made.draft.document, made.draft.detail, country=country)
    return course


def section_of(letter: Letter, key: SectionKey) -> Section:
    found = [s for s in letter.sections if s.key is key]
    assert len(found) == 1, f"{key} appears {len(found)} times"
    return found[0]


def block_text(block: Block) -> str:
    """Every string a block prints, one per line (what a reader of the PDF would see)."""
    if isinstance(block, Text):
        return block.text
    if isinstance(block, Bullets):
        return "\n".join(block.items)
    if isinstance(block, Fields):
        return "\n".join(f"{label}: {value}" for label, value in block.rows)
    if isinstance(block, Table):
        return "\n".join([" | ".join(block.header), *(" | ".join(row) for row in block.rows), block.caption])
    if isinstance(block, ExerciseCard):
        return "\n".join((block.name, block.instructions, block.dose, block.notes))
    return getattr(block, "caption", "")


def section_text(letter: Letter, key: SectionKey) -> str:
    section = section_of(letter, key)
    return "\n".join([section.heading, *(block_text(block) for block in section.blocks)])


def letter_text(letter: Letter) -> str:
    parts = [letter.title, letter.subject, letter.salutation, letter.opening, letter.closing, letter.footer]
    if letter.banner is not None:
        parts += [letter.banner.title, letter.banner.text]
    parts += [f"{label}: {value}" for label, value in (*letter.date_lines, *letter.patient_lines)]
    parts += [section_text(letter, section.key) for section in letter.sections]
    return "\n".join([*parts, *letter.notes])
