"""Run in its own process by ``benchmarks.wizard``: time every page change of a filled-in assessment.

Prints one JSON object: per page, the milliseconds from Next (or Back) to the page painted, median of
the rounds. A page change includes the page's ``initializePage`` (it reads the draft into its widgets)
and the repaint; the engine re-evaluates on every edit, so its cost is in the typing, measured apart.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from datetime import date

ROUNDS = 15
_RED_FLAG_QUESTIONS = (
    "dvt_suspected", "pulmonary_embolism_symptoms", "cauda_equina_signs", "progressive_weakness",
    "acute_compartment_signs", "cellulitis_signs", "systemic_illness", "suspected_rupture", "cold_pale_pulseless_foot",
    "exercise_claudication", "cancer_history_weight_loss_or_night_pain", "severe_unexplained_pain",
)  # fmt: skip


def sample_document() -> dict[str, object]:
    """A full overload case (the engine's first worked case), every page with something to show."""
    wells = dict.fromkeys(
        ("active_cancer", "paralysis_paresis_or_plaster", "bedridden_3_days_or_major_surgery_12_weeks",
         "deep_vein_tenderness", "whole_leg_swollen", "calf_swelling_3cm", "pitting_oedema_symptomatic_leg",
         "collateral_superficial_veins", "previous_dvt"),
        False,
    )  # fmt: skip
    wells["alternative_diagnosis_as_likely"] = True
    return {
        "schema": "calfdesk.assessment/1",
        "assessed_on": "2026-11-20",
        "patient": {"date_of_birth": "1988-03-14", "sex": "male"},
        "symptomatic_side": "left",
        "history": {"onset": "gradual", "pain_builds_predictably_in_run": True, "tightness_lingers_after_runs": True,
                    "could_continue_running": True, "recent_load_changes": ["mileage_increase", "hills"],
                    "pain_location": "mid", "nprs_now": 2, "nprs_worst_24h": 5, "nprs_during_run": 6},
        "examination": {"local_muscle_tenderness": True, "calf_swelling_warmth_or_redness": False},
        "heel_raise": {"left_reps": 18, "right_reps": 31, "protocol": "incline_10deg_60bpm", "knee": "straight"},
        "knee_to_wall": {"left_cm": 9.0, "right_cm": 11.5},
        "neural": {"slump": "negative", "straight_leg_raise": "negative", "neurological_deficit": False},
        "red_flags": {"wells": wells, "dvt_risk_factors": [], **dict.fromkeys(_RED_FLAG_QUESTIONS, False)},
        "outcomes": {"psfs": [{"activity": "Run 10 km", "score": 4}], "lefs_total": 61},
    }  # fmt: skip


def main() -> int:
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv)
    from ui.assessment.wizard import AssessmentWizard
    from ui.assessment.wizard_state import WizardState
    from workstation.assessment.draft import AssessmentDraft

    draft = AssessmentDraft(1, 1, sample_document(), {"impression": {"condition": "overload"}})
    state = WizardState(draft, today=lambda: date(2026, 12, 1), country=None)
    wizard = AssessmentWizard(
        state, save_draft=lambda _d: None, store_flags=lambda _s: None, finalise=lambda _d, _ok, _no: None,
        title="benchmark",
    )  # fmt: skip
    wizard.show()
    app.processEvents()
    timings: dict[str, list[float]] = {}
    for _ in range(ROUNDS):
        for step in (wizard.next, wizard.back):
            while True:
                before = wizard.currentId()
                started = time.perf_counter()
                step()
                wizard.currentPage().repaint()  # painted, not just scheduled
                app.processEvents()
                if wizard.currentId() == before:
                    break
                name = wizard.currentPage().objectName()
                timings.setdefault(name, []).append((time.perf_counter() - started) * 1000)
    edit = _typing_ms(state)
    print(json.dumps({"pages": {k: statistics.median(v) for k, v in timings.items()}, "edit_ms": edit}))
    wizard.close()
    return 0


def _typing_ms(state: object) -> float:
    """One keystroke's worth of work: a changed count, re-evaluated, every page told (median ms)."""
    samples = []
    for reps in range(10, 40):
        started = time.perf_counter()
        state.edit("heel_raise.left_reps", reps)  # type: ignore[attr-defined]
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


if __name__ == "__main__":
    sys.exit(main())
