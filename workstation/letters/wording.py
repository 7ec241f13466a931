"""The letters' own words, as tables: banners, requests, openings, headings, the phone-call sentence.

Clinical wording follows CLINICAL.md 5 (tiers and red flags) and 9 (letter conventions); every change here is
a clinical-content change (RELIABILITY.md J5). British spelling: ``LetterLocale.spell`` adapts it for the
United States and Australia. Nothing here reads a record; ``compose`` fills in the blanks.
"""

from __future__ import annotations

import re

from workstation.assessment.rules import FLAG_NAMES as _RULE_FLAG_NAMES
from workstation.assessment.summary_lines import URGENCY_WORDS
from workstation.letters.document import Tier
from workstation.letters.locale import LetterLocale
from workstation.letters.records import CarePlanVisit, LetterKind, PhoneCall, SectionKey

NOT_DONE = "–"  # a value not recorded, or stored in a form that cannot be read (as summary_lines)
NO_ASSESSMENT = "No assessment has been finalised yet."
TIERS: tuple[Tier, ...] = ("routine", "soon", "urgent", "emergency")  # least to most urgent (CLINICAL.md 5.1)
TIER_WORDS = URGENCY_WORDS  # "Urgent – same day": the app's own labels, so letter and screen agree

# CLINICAL.md 5.1: E = emergency care now (999/000, ED); U = medical assessment today; S = review within days
# to about 2 weeks with a specific request; R = carry on with physiotherapy, information letter.
BANNER_TITLES: dict[Tier, str] = {
    "emergency": "EMERGENCY: emergency care needed now",
    "urgent": "URGENT – SAME DAY: please see today",
    "soon": "SOON: please review within days (up to 2 weeks)",
    "routine": "ROUTINE: for information",
}
LETTER_TITLES: dict[LetterKind, str] = {  # also the PDF title: never the patient's name
    LetterKind.GP_REFERRAL: "Referral to GP",
    LetterKind.PROGRESS: "Progress report to GP",
    LetterKind.DISCHARGE: "Discharge summary",
    LetterKind.CARE_PLAN_REPORT: "Care plan report to GP",
    LetterKind.HANDOUT: "Your home exercise programme",
}
ROUTINE_REASONS: dict[LetterKind, str] = {  # the banner's one line when nothing is raised or requested
    LetterKind.GP_REFERRAL: "Physiotherapy assessment of calf pain: findings and plan for your information.",
    LetterKind.PROGRESS: "Progress report on physiotherapy for calf pain.",
    LetterKind.DISCHARGE: "Discharge summary after physiotherapy for calf pain.",
    LetterKind.CARE_PLAN_REPORT: "Report under the chronic condition management plan (Medicare item 10960).",
    LetterKind.HANDOUT: "",
}

# The flags by name, as the wizard names them ("the suspected DVT"), without the article.
FLAG_NAMES: dict[str, str] = {
    **{code: name.removeprefix("the ") for code, name in _RULE_FLAG_NAMES.items()},
    "dvt_screen_incomplete": "incomplete DVT screen (DVT cannot be ruled out)",
}

# The specific request for each red flag (CLINICAL.md 9.1 item 2; 5.2-5.7 for who and how soon).
# {wells}: the Wells reading in the request's own words; {fibula}: "right fibula", "fibula".
REQUEST_BY_FLAG: dict[str, str] = {
    "pulmonary_embolism": "Emergency assessment now for possible pulmonary embolism.",
    "cauda_equina": "Emergency assessment and MRI now for possible cauda equina syndrome.",
    "acute_compartment_syndrome": "Emergency surgical assessment now for possible acute compartment syndrome.",
    "acute_limb_ischaemia": "Emergency vascular assessment now for possible acute limb ischaemia.",
    "sepsis_or_necrotising_infection": "Emergency assessment now for possible sepsis or necrotising infection.",
    "dvt": "Please assess today for suspected DVT ({wells}).",
    "cellulitis": "Please assess today for possible cellulitis (a DVT can coexist).",
    "progressive_neurological_deficit": "Please arrange urgent spinal or medical assessment today for "
    "progressive leg weakness.",
    "suspected_rupture": "Please assess today for a suspected complete calf or Achilles rupture.",
    "severe_unexplained_pain": "Please assess today: severe pain that the mechanism does not explain "
    "(compartment syndrome, DVT and fracture need excluding).",
    "bone_stress_injury": "Please consider MRI of the {fibula} for suspected bone stress injury.",
    "popliteal_artery_entrapment": "Please consider vascular or sports-medicine referral for dynamic duplex "
    "ultrasound: possible popliteal artery entrapment.",
    "serious_pathology_screen": "Please review within days: cancer history, unexplained weight loss, fever or "
    "unremitting night pain reported.",
    "dvt_screen_incomplete": "Please note that the DVT screen is incomplete, so DVT cannot be ruled out: please "
    "follow your local DVT pathway.",
}
# A referral pathway chosen without a red flag still asks for something specific (CLINICAL.md 5.3, 5.4, 8).
REQUEST_BY_PATHWAY: dict[str, str] = {
    "cecs_referral": "Please consider referral to sports medicine or orthopaedics for compartment pressure "
    "testing.",
    "bone_stress_referral": REQUEST_BY_FLAG["bone_stress_injury"],
    "dvt_referral": REQUEST_BY_FLAG["dvt"],
}
PATHWAY_TIERS: dict[str, Tier] = {  # CLINICAL.md 5.2 (U), 5.3 CECS (S), 5.4 bone stress (S)
    "dvt_referral": "urgent",
    "cecs_referral": "soon",
    "bone_stress_referral": "soon",
}
ROUTINE_REQUESTS: dict[LetterKind, str] = {
    LetterKind.GP_REFERRAL: "For information only.",
    LetterKind.PROGRESS: "For information only: no action is needed.",
    LetterKind.DISCHARGE: "For information only.",
    LetterKind.CARE_PLAN_REPORT: "For information only.",
    LetterKind.HANDOUT: "",
}
BONE_HEALTH_REQUEST = "Please also assess energy availability and bone health (RED-S features were reported)."
EMERGENCY_NOTE = "This letter documents the findings and the action taken."
# CLINICAL.md 9.2 (check against the current MBS): a physiotherapist's direct referral to a specialist, and
# lower-leg imaging requested by one, attract no Medicare rebate, so the physiotherapist asks the GP.
AU_SPECIALIST = "Onward specialist referral: please refer (no Medicare rebate for direct physio referral)."
AU_IMAGING = "Lower-leg imaging needs a GP request for a Medicare rebate: please request it if you agree."
AU_SPECIALIST_CODES = frozenset({"popliteal_artery_entrapment", "cecs_referral"})
AU_IMAGING_CODES = frozenset({"bone_stress_injury", "bone_stress_referral"})

HEADINGS: dict[SectionKey, str] = {
    SectionKey.REQUEST: "Reason for referral and request",
    SectionKey.HISTORY: "Presenting history",
    SectionKey.RELEVANT_HISTORY: "Relevant history",
    SectionKey.FINDINGS: "Findings",
    SectionKey.BODY_CHART: "Where the pain is (body chart)",
    SectionKey.CHARTS: "Progress charts",
    SectionKey.RED_FLAGS: "Red flags found and action taken",
    SectionKey.IMPRESSION: "Working impression (a physiotherapist's, not a medical diagnosis)",
    SectionKey.OUTCOMES: "Change since the first assessment",
    SectionKey.PLAN: "Treatment so far and plan",
    SectionKey.RUNNING: "Return to running",
    SectionKey.SAFETY_NET: "Information and safety-net advice given",
    SectionKey.GOALS: "The patient's concerns and goals",
    SectionKey.EXERCISES: "Your exercises",
    SectionKey.DISCHARGE: "Discharge",
}
HEADINGS_BY_KIND: dict[tuple[LetterKind, SectionKey], str] = {
    (LetterKind.PROGRESS, SectionKey.REQUEST): "Reason for writing",
    (LetterKind.DISCHARGE, SectionKey.PLAN): "Advice and home exercise programme",
    (LetterKind.CARE_PLAN_REPORT, SectionKey.REQUEST): "Reason for this report",
    (LetterKind.HANDOUT, SectionKey.RUNNING): "Running and activity",
    (LetterKind.HANDOUT, SectionKey.SAFETY_NET): "When to stop and get help",
}
SECTION_LABELS: dict[SectionKey, str] = {  # the tick boxes
    SectionKey.REQUEST: "Reason and request",
    SectionKey.HISTORY: "Presenting history",
    SectionKey.RELEVANT_HISTORY: "Relevant history, medication",
    SectionKey.FINDINGS: "Findings table",
    SectionKey.BODY_CHART: "Body chart",
    SectionKey.CHARTS: "Progress charts",
    SectionKey.RED_FLAGS: "Red flags and action taken",
    SectionKey.IMPRESSION: "Working impression",
    SectionKey.OUTCOMES: "Outcomes since the first visit",
    SectionKey.PLAN: "Treatment and plan",
    SectionKey.RUNNING: "Return to running and load",
    SectionKey.SAFETY_NET: "Safety-net advice",
    SectionKey.GOALS: "Concerns and goals",
    SectionKey.EXERCISES: "Exercise cards",
    SectionKey.DISCHARGE: "Discharge",
}
LOCKED_UNRESOLVED = "A red flag is raised with no action recorded yet: it stays on the letter until one is."
LOCKED_RAISED = "This assessment raised a red flag: it stays on the letter, with the action taken."
LOCKED_HANDOUT = "A red flag is raised: the patient's safety-net advice stays on the handout."

CARE_PLAN_VISITS: dict[CarePlanVisit, str] = {
    CarePlanVisit.FIRST: "after the first service",
    CarePlanVisit.LAST: "after the last service",
    CarePlanVisit.ONLY: "after the only service",
    CarePlanVisit.OTHER: "on something you would reasonably expect to know about",
}
OPENINGS: dict[LetterKind, str] = {  # {name}: the patient; {seen}: the assessment date; {since}: the first one
    LetterKind.GP_REFERRAL: "I assessed {name} on {seen} for calf pain.",
    LetterKind.PROGRESS: "I write with an update on {name}, whom I have seen for calf pain since {since}.",
    LetterKind.DISCHARGE: "This is the discharge summary for {name}, whom I have seen for calf pain since {since}.",
    LetterKind.CARE_PLAN_REPORT: "Thank you for referring {name} for physiotherapy under their chronic condition "
    "management plan (Medicare item 10960). This is my report {visit}.",
    LetterKind.HANDOUT: "Here are the exercises and advice we agreed on {seen}. Keep this sheet handy.",
}
OPENING_NO_ASSESSMENT = "I write about {name}."
HANDOUT_OPENING_NO_ASSESSMENT = "Here is the advice we discussed. Keep this sheet handy."
SERVICES_LINE = (
    "{count} recorded this calendar year (Medicare item 10960 allows up to 5 funded services a "
    "calendar year)."
)
NOTES_LETTER = (
    "Red flags, the Wells score and the limb symmetry index are decision support computed from the "
    "physiotherapist's findings; the working impression is the physiotherapist's, not a medical diagnosis."
)
_TITLE = re.compile(r"^(dr|doctor|prof|professor|mr|mrs|ms|mx|miss|sir|dame)\b\.?\s", re.IGNORECASE)


def salutation(name: str) -> str:
    """ "Dear Dr Patel," (a name with its title is kept as typed; a bare name gets "Dr"), else "Dear Doctor,"."""
    name = " ".join(name.split())
    if not name:
        return "Dear Doctor,"
    return f"Dear {name}," if _TITLE.match(name + " ") else f"Dear Dr {name},"


def closing(recipient_named: bool, locale: LetterLocale) -> str:
    """British convention: "sincerely" to a named reader, "faithfully" to "Dear Doctor"; US "Sincerely,"."""
    if locale.month_first:
        return "Sincerely,"
    return "Yours sincerely," if recipient_named else "Yours faithfully,"


def phone_call_sentence(call: PhoneCall, locale: LetterLocale) -> str:
    """ "I telephoned Reception, Riverside Surgery at 11:20 on 1 December 2026: same-day appointment at 15:00."

    The time is the clinic's own (the call is stored timezone-aware). With no call made, the reason given.
    """
    if call.at is None:
        reason = call.not_called_reason.strip()
        return f"No telephone call was made: {_ended(reason)}" if reason else "No telephone call was recorded."
    local = call.at.astimezone() if call.at.tzinfo is not None else call.at
    who = call.spoken_to.strip()
    sentence = f"I telephoned {who} at " if who else "I telephoned at "
    sentence += f"{locale.clock(local)} on {locale.long_date(local.date())}"
    outcome = call.outcome.strip()
    return f"{sentence}: {_ended(outcome)}" if outcome else sentence + "."


def _ended(text: str) -> str:
    """Text a person typed, with a full stop only where it has no closing punctuation of its own."""
    return text if text[-1:] in ".!?" else text + "."

# CLINICAL.md 5.5: the cauda equina warning, printed for the patient whenever that flag is raised.
CAUDA_EQUINA_CARD = (
    "Cauda equina warning: go to the Emergency Department straight away if you have new difficulty passing "
    "urine or controlling your bladder or bowels, numbness between your legs or around your bottom or genitals, "
    "a change in sexual function, or new weakness or numbness in both legs."
)
HANDOUT_NOT_READY = "Your programme is not ready yet: please ask your physiotherapist about exercise and running."
EMERGENCY_LINE = "In an emergency, {call}."  # {call}: "call 999"; every number when the country is not set
EXERCISES_PAUSED = (
    "Your exercises are paused for now. Please do not do calf exercises, stretching, foam rolling or massage "
    "until a doctor has seen you about the referral we discussed."
)
