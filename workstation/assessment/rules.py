"""What a wizard page needs before Next, and what a draft needs before it can be finalised (issue 6, items 2 and 6).

Every problem names the field it belongs to, so the page shows it beside that field: contract fields by
their document path (``red_flags.wells.previous_dvt``), the wizard's extras by ``detail.`` and their detail
path (``detail.red_flag_actions.dvt``, ``detail.impression.condition``).

The red-flag screen is never optional: each of the ten Wells items and each red-flag question needs an
explicit yes or no ("not answered" is never read as "no"), and a draft with a raised flag cannot be
finalised until the clinician has written down what they did about it. ``dvt_screen_incomplete`` needs no
action: it goes away by answering the Wells items, which are required anyway.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, Literal

from workstation.assessment.draft import AssessmentDraft, problems_of
from workstation.assessment.plan import Plan, plan_problems
from workstation.assessment.records import NO_ACTION_NEEDED, RedFlagRecord
from workstation.clinical.contract import WELLS_KEYS, AssessmentInvalid, parse_assessment
from workstation.clinical.differential_weights import CONDITIONS
from workstation.clinical.evaluate import Evaluation
from workstation.problems import Problem

Page = Literal["history", "red_flags", "heel_raise", "flexibility", "neural", "outcomes", "body_chart", "summary"]
PAGES: tuple[Page, ...] = (
    "history", "red_flags", "heel_raise", "flexibility", "neural", "outcomes", "body_chart", "summary",
)  # fmt: skip

ANSWER_YES_OR_NO = "Answer yes or no"
IMPRESSIONS: tuple[str, ...] = (*CONDITIONS, "other")
# The red-flag questions of the screen besides the Wells items, in the contract's order. ``systemic_illness``
# is asked only when there are skin signs (it decides between cellulitis and sepsis).
RED_FLAG_QUESTIONS: tuple[str, ...] = (
    "dvt_suspected", "pulmonary_embolism_symptoms", "cauda_equina_signs", "progressive_weakness",
    "acute_compartment_signs", "cellulitis_signs", "suspected_rupture", "cold_pale_pulseless_foot",
    "exercise_claudication", "cancer_history_weight_loss_or_night_pain", "severe_unexplained_pain",
)  # fmt: skip
RaisedFlag = str | RedFlagRecord  # a code, or a flag as stored (a resolved one already has its action)
FLAG_NAMES: dict[str, str] = {
    "pulmonary_embolism": "the possible pulmonary embolism",
    "cauda_equina": "the possible cauda equina syndrome",
    "acute_compartment_syndrome": "the possible acute compartment syndrome",
    "acute_limb_ischaemia": "the possible acute limb ischaemia",
    "sepsis_or_necrotising_infection": "the possible sepsis or necrotising infection",
    "dvt": "the suspected DVT",
    "cellulitis": "the possible cellulitis",
    "progressive_neurological_deficit": "the progressive weakness",
    "suspected_rupture": "the suspected rupture",
    "severe_unexplained_pain": "the severe unexplained pain",
    "bone_stress_injury": "the possible bone stress injury",
    "popliteal_artery_entrapment": "the exercise claudication",
    "serious_pathology_screen": "the cancer history, weight loss or night pain",
}
# Which page shows a contract path; the first matching prefix wins, so the specific ones come first.
# Pain scores are asked on the outcomes page and pain location comes from the body chart.
_PAGE_OF_PREFIX: tuple[tuple[str, Page], ...] = (
    ("history.nprs_", "outcomes"),
    ("history.pain_location", "body_chart"),
    ("history", "history"),
    ("examination", "history"),
    ("red_flags", "red_flags"),
    ("heel_raise", "heel_raise"),
    ("knee_to_wall", "flexibility"),
    ("neural", "neural"),
    ("outcomes", "outcomes"),
    ("detail.heel_raise", "heel_raise"),
    ("detail.knee_to_wall", "flexibility"),
    ("detail.neural", "neural"),
    ("detail.body_chart", "body_chart"),
    ("detail", "summary"),
)
_NUMBERS_IN_DETAIL: tuple[tuple[str, int, int, str, bool], ...] = (
    # Detail values that become observations or describe the test: (path, lowest, highest, unit, whole
    # numbers only). The limits catch typing errors; they are not norms.
    ("heel_raise.bent_left_reps", 0, 500, "reps", True),
    ("heel_raise.bent_right_reps", 0, 500, "reps", True),
    ("heel_raise.cadence_bpm", 1, 240, "beats a minute", True),
    ("heel_raise.knee_angle_deg", 0, 120, "degrees", True),
    ("knee_to_wall.straight_knee_deg_left", 0, 90, "degrees", False),
    ("knee_to_wall.straight_knee_deg_right", 0, 90, "degrees", False),
)


def page_of(path: str) -> Page:
    """The page a problem at ``path`` is shown on; the document's own fields (date, patient) on the first."""
    for prefix, page in _PAGE_OF_PREFIX:
        if prefix.endswith("_"):  # a family of keys: history.nprs_now, history.nprs_worst_24h, ...
            if path.startswith(prefix):
                return page
        elif path == prefix or path.startswith((prefix + ".", prefix + "[")):
            return page
    return "history"


def page_problems(
    draft: AssessmentDraft,
    page: str,
    *,
    today: date | None = None,
    evaluation: Evaluation | None = None,
    raised_flags: Iterable[RaisedFlag] = (),
) -> list[Problem]:
    """What stops ``page`` from going on: its contract problems and what it must have answered.

    ``evaluation`` and ``raised_flags`` matter only to the summary (the actions for raised flags).

    Raises:
        ValueError: for an unknown page name.
    """
    if page not in PAGES:
        raise ValueError(f"unknown page {page!r}: use one of {', '.join(PAGES)}")
    problems = [p for p in contract_problems(draft, today=today) if page_of(p.field) == page]
    problems += _page_rules(draft, page, evaluation, raised_flags)
    return _without_duplicates(problems)


def finalise_problems(
    draft: AssessmentDraft,
    evaluation: Evaluation | None,
    raised_flags: Iterable[RaisedFlag] = (),
    *,
    today: date | None = None,
) -> list[Problem]:
    """Everything that stops the draft being finalised, page by page; finalise only when this is empty.

    ``raised_flags`` are the flags raised for this draft so far, as codes or as stored records; each of
    them and each flag of ``evaluation`` needs an action in ``detail.red_flag_actions``, except a stored
    flag already resolved (its action is on record). ``today`` None skips the contract's "not in the
    future" rule, for a caller that has just checked the document against the clinic's day.
    """
    flags = tuple(raised_flags)
    contract = contract_problems(draft, today=today)
    problems: list[Problem] = []
    for page in PAGES:
        problems += [p for p in contract if page_of(p.field) == page]
        problems += _page_rules(draft, page, evaluation, flags)
    return _without_duplicates(problems)


def contract_problems(draft: AssessmentDraft, *, today: date | None) -> list[Problem]:
    """The document's breaches of the contract, each named by its path (today None: any date is allowed)."""
    try:
        parse_assessment(draft.document, today=date.max if today is None else today)
    except AssessmentInvalid as invalid:
        return problems_of(invalid.errors)
    return []


def wells_problems(draft: AssessmentDraft) -> list[Problem]:
    return [
        Problem(f"red_flags.wells.{key}", ANSWER_YES_OR_NO)
        for key in WELLS_KEYS
        if draft.get(f"red_flags.wells.{key}") is None
    ]


def red_flag_question_problems(draft: AssessmentDraft) -> list[Problem]:
    asked = list(RED_FLAG_QUESTIONS)
    if draft.get("red_flags.cellulitis_signs") is True:
        asked.insert(asked.index("cellulitis_signs") + 1, "systemic_illness")
    return [Problem(f"red_flags.{key}", ANSWER_YES_OR_NO) for key in asked if draft.get(f"red_flags.{key}") is None]


def flags_needing_action(evaluation: Evaluation | None, raised_flags: Iterable[RaisedFlag] = ()) -> list[str]:
    """Codes of the raised flags that need an action recorded in the draft, the evaluation's first, each once.

    A code needs one when a flag of it is raised and not resolved: raised by the evaluation with no resolved
    record of it, or given as a code or as an unresolved record.
    """
    raised = list(raised_flags)
    resolved = {flag.code for flag in raised if isinstance(flag, RedFlagRecord) and flag.resolved}
    open_codes = [
        flag if isinstance(flag, str) else flag.code for flag in raised if isinstance(flag, str) or not flag.resolved
    ]
    codes = [flag.code for flag in evaluation.red_flags if flag.code not in resolved] if evaluation is not None else []
    return [code for code in dict.fromkeys(codes + open_codes) if code not in NO_ACTION_NEEDED]


def action_problems(
    draft: AssessmentDraft, evaluation: Evaluation | None, raised_flags: Iterable[RaisedFlag] = ()
) -> list[Problem]:
    problems = []
    for code in flags_needing_action(evaluation, raised_flags):
        action = draft.get_detail(f"red_flag_actions.{code}")
        if not isinstance(action, str) or not action.strip():
            name = FLAG_NAMES.get(code, f"the red flag {code}")
            problems.append(Problem(f"detail.red_flag_actions.{code}", f"Record what you did about {name}"))
    return problems


def impression_problems(draft: AssessmentDraft) -> list[Problem]:
    condition = draft.get_detail("impression.condition")
    if condition not in IMPRESSIONS:
        return [Problem("detail.impression.condition", "Choose your working impression")]
    text = draft.get_detail("impression.text")
    if condition == "other" and (not isinstance(text, str) or not text.strip()):
        return [Problem("detail.impression.text", "Describe your working impression")]
    return []


def side_problems(draft: AssessmentDraft) -> list[Problem]:
    if draft.get("symptomatic_side") not in ("left", "right", "both"):
        return [Problem("symptomatic_side", "Choose the painful side: left, right or both")]
    return []


def detail_number_problems(draft: AssessmentDraft, page: str) -> list[Problem]:
    problems = []
    for path, low, high, unit, whole in _NUMBERS_IN_DETAIL:
        where = f"detail.{path}"
        if page_of(where) != page:
            continue
        value = draft.get_detail(path)
        if value is None or _in_range(value, low, high, whole=whole):
            continue
        kind = "a whole number" if whole else "a number"
        problems.append(Problem(where, f"Enter {kind} from {low} to {high} ({unit})"))
    return problems


def _page_rules(
    draft: AssessmentDraft, page: str, evaluation: Evaluation | None, raised_flags: Iterable[RaisedFlag]
) -> list[Problem]:
    problems = detail_number_problems(draft, page)
    if page == "history":
        problems += side_problems(draft)
    elif page == "red_flags":
        problems += wells_problems(draft) + red_flag_question_problems(draft)
    elif page == "summary":
        flags = tuple(raised_flags)
        problems += impression_problems(draft) + action_problems(draft, evaluation, flags)
        plan = draft.get_detail("plan")
        if isinstance(plan, dict) and plan:
            problems += plan_problems(Plan.from_detail(plan), raised_flags=flags_needing_action(evaluation, flags))
    return problems


def _in_range(value: Any, low: int, high: int, *, whole: bool) -> bool:
    if isinstance(value, bool):
        return False
    if whole:
        return isinstance(value, int) and low <= value <= high
    return isinstance(value, int | float) and low <= value <= high


def _without_duplicates(problems: list[Problem]) -> list[Problem]:
    """One problem per field: the contract's "is required" for the side gives way to the plainer message."""
    seen: dict[str, Problem] = {}
    for problem in problems:
        if problem.field not in seen or seen[problem.field].message.endswith("is required"):
            seen[problem.field] = problem
    return list(seen.values())
