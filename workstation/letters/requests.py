"""The specific request and the banner's one line, by red flag, pathway and letter kind (CLINICAL.md 9.1 item 2).

Say exactly what is asked: "Please assess today for suspected DVT (Wells 2 = likely)". One request per red
flag, most urgent first; a referral pathway without a flag asks for its referral; otherwise the kind's
routine line ("For information only."). Australian letters add the Medicare conventions of CLINICAL.md 9.2.
"""

from __future__ import annotations

from workstation.assessment.plan import TEMPLATES
from workstation.clinical.country import Country
from workstation.letters.document import Banner, Tier
from workstation.letters.flags import LetterFlag
from workstation.letters.locale import LetterLocale
from workstation.letters.record_words import WELLS_WORDING
from workstation.letters.records import LetterKind
from workstation.letters.stored import Stored, number
from workstation.letters.wording import (
    AU_IMAGING,
    AU_IMAGING_CODES,
    AU_SPECIALIST,
    AU_SPECIALIST_CODES,
    BANNER_TITLES,
    BONE_HEALTH_REQUEST,
    EMERGENCY_NOTE,
    FLAG_NAMES,
    REQUEST_BY_FLAG,
    REQUEST_BY_PATHWAY,
    ROUTINE_REASONS,
    ROUTINE_REQUESTS,
)

_FIBULA = {"left": "left fibula", "right": "right fibula", "both": "fibula on each side"}


def wells_phrase(stored: Stored | None) -> str:
    """The Wells reading as a request quotes it: "Wells 2 = likely"; never "unlikely" for an unfinished screen."""
    if stored is None:
        return "no finalised Wells score: DVT cannot be ruled out"
    wells = stored.section("evaluation", "wells")
    category, score = wells.get("category"), wells.get("score")
    if category in ("likely", "unlikely") and number(score) != "–" and _all_answered(stored):
        phrase = f"Wells {number(score)} = {category}"
        return phrase if category == "likely" else phrase + "; the score cannot rule out DVT here"
    if category == "not_assessed":
        return "Wells not assessed: DVT cannot be ruled out"
    return "Wells screen incomplete: DVT cannot be ruled out"


def _all_answered(stored: Stored) -> bool:
    answers = stored.section("document", "red_flags").get("wells")
    return isinstance(answers, dict) and all(isinstance(answers.get(key), bool) for key in WELLS_WORDING)


def request_lines(
    kind: LetterKind, flags: tuple[LetterFlag, ...], stored: Stored | None, locale: LetterLocale
) -> list[str]:
    """The default request, one line per thing asked, in the country's spelling."""
    if kind is LetterKind.HANDOUT:
        return []
    fill = {"wells": wells_phrase(stored), "fibula": _FIBULA.get(stored.side if stored else "", "fibula")}
    codes = list(dict.fromkeys(flag.code for flag in flags))
    pathway = stored.pathway if stored is not None else ""
    lines = [REQUEST_BY_FLAG.get(code, "Please review the red flag below.").format(**fill) for code in codes]
    if pathway in REQUEST_BY_PATHWAY:
        lines.append(REQUEST_BY_PATHWAY[pathway].format(**fill))
        codes.append(pathway)
    lines = list(dict.fromkeys(lines))  # a flag and its pathway ask the same thing once
    if not lines:
        return [locale.spell(ROUTINE_REQUESTS[kind])]
    bone_health = stored is not None and stored.section("document", "history").get("bone_health_risk") is True
    if bone_health and AU_IMAGING_CODES & set(codes):  # CLINICAL.md 5.4: the RED-S information flag
        lines.append(BONE_HEALTH_REQUEST)
    if locale.country is Country.AU:
        lines += [AU_SPECIALIST] if AU_SPECIALIST_CODES & set(codes) else []
        lines += [AU_IMAGING] if AU_IMAGING_CODES & set(codes) else []
    if any(flag.tier == "emergency" for flag in flags):
        lines.append(EMERGENCY_NOTE)
    return [locale.spell(line) for line in lines]


def request_text_for(
    kind: LetterKind, flags: tuple[LetterFlag, ...], stored: Stored | None, locale: LetterLocale
) -> str:
    return "\n".join(request_lines(kind, flags, stored, locale))


def banner(kind: LetterKind, tier: Tier, flags: tuple[LetterFlag, ...], stored: Stored | None,
           locale: LetterLocale) -> Banner:  # fmt: skip
    """The urgency banner: the tier's title and one line naming why (the flags, the referral, or the kind)."""
    names = list(dict.fromkeys(FLAG_NAMES.get(flag.code, flag.code.replace("_", " ")) for flag in flags))
    template = TEMPLATES.get(stored.pathway) if stored is not None else None  # type: ignore[call-overload]
    if names:
        line = ("Red flag: " if len(names) == 1 else "Red flags: ") + "; ".join(names) + "."
    elif template is not None and template.referral:
        line = f"Referral: {template.name}."
    else:
        line = ROUTINE_REASONS[kind]
    return Banner(tier, locale.spell(BANNER_TITLES[tier]), locale.spell(line))
