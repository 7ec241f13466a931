"""The findings of a letter (CLINICAL.md 9.1 item 5): one table of the tests, and the Wells items with the total.

Values are the stored ones; the readings (LSI, norm, flags, Wells category) are the stored evaluation's, in
the words ``summary_lines`` uses, so the letter and the app read the same. A flagged row is a value past its
threshold. An examination finding that is unremarkable goes into one "Examination: no …; no …" line under the
table rather than a row of its own. An unanswered Wells item reads "Not answered" and the screen
"Incomplete – DVT cannot be ruled out", never "unlikely"; a screen with no item answered is one line saying
it was not assessed and DVT cannot be ruled out (RELIABILITY.md J3).
"""

from __future__ import annotations

from typing import Any

from workstation.assessment.summary_lines import HEEL_RAISE_FLAGS, KNEE_TO_WALL_FLAGS, NEURAL_WORDS
from workstation.clinical.heel_raise import LSI_TARGET_PERCENT, limb_symmetry_percent
from workstation.clinical.wells import WELLS_ITEMS
from workstation.letters.answer_lines import listed
from workstation.letters.context import Context
from workstation.letters.document import Block, Table, Text
from workstation.letters.included import ACT_NOW_TIERS, included_keys
from workstation.letters.record_words import (
    DIFFERENTIATION_WORDS,
    EXAMINATION_FINDINGS,
    EXAMINATION_UNREMARKABLE,
    FLAGGED_WHEN_YES,
    HEEL_RAISE_STOPPED,
    LOADING_SAME,
    RESPONSE_WORDS,
    WELLS_CATEGORY,
    WELLS_FOLLOW,
    WELLS_INCOMPLETE,
    WELLS_NOT_ASSESSED_LINE,
    yes_no,
)
from workstation.letters.records import SectionKey
from workstation.letters.stored import Stored, as_dict, as_list, is_number, is_whole, number, text, words
from workstation.letters.wording import NO_ASSESSMENT, NOT_DONE

HEADER = ("Test", "Left", "Right", "Difference", "Reading")
WELLS_HEADER = ("Wells item (NICE two-level)", "Answer", "Points")
EXAMINATION_LINE = "Examination"
WELLS_WITH_FLAGS = "Wells items and total: with the red flags above."
CLOT_FLAGS = frozenset({"dvt", "dvt_screen_incomplete", "pulmonary_embolism", "cellulitis"})  # Wells matters
_SIDES = {"left": "Left", "right": "Right", "both": "Both"}
_SURFACES = {
    "incline_10deg_60bpm": "10° incline at 60 bpm",
    "flat_floor": "flat floor (clinic variant, not the research standard)",
    "step": "step",
    "other": "other protocol",
}
_LOADING = ("straight_knee_loading_worse_than_bent", "bent_knee_loading_worse_than_straight")
_SURFACE_CADENCE = {"incline_10deg_60bpm": 60}  # the protocol's own cadence, named with the surface
Row = tuple[str, str, str, str, str]


def findings_blocks(ctx: Context) -> tuple[Block, ...]:
    """The tests as one table (measurements, neural tests, remarkable examination findings), a line of the
    unremarkable examination findings under it, then the Wells items and total."""
    if ctx.stored is None:
        return (Text(ctx.spell(NO_ASSESSMENT)),)
    stored = ctx.stored
    rows: list[tuple[Row, bool]] = []
    rows += _heel_raise(stored)
    rows += _knee_to_wall(stored)
    rows += _neural(stored)
    remarkable, unremarkable = _examination(stored)
    rows += remarkable
    caption = f"Symptomatic side: {_SIDES.get(stored.side, NOT_DONE)}. Heel-raise protocol: {_protocol(stored)}."
    table = Table(
        header=tuple(ctx.spell(cell) for cell in HEADER),
        rows=tuple((ctx.spell(row[0]), *row[1:]) for row, _ in rows),
        caption=ctx.spell(caption),
        flagged=tuple(index for index, (_, flagged) in enumerate(rows) if flagged),
    )
    line = (Text(ctx.spell(f"{EXAMINATION_LINE}: {listed(unremarkable)}.")),) if unremarkable else ()
    wells = Text(ctx.spell(WELLS_WITH_FLAGS)) if wells_with_flags(ctx) else wells_block(ctx, stored)
    return (table, *line, wells)


def wells_with_flags(ctx: Context) -> bool:
    """Whether the Wells items print with the red flags rather than the findings: in an emergency or urgent
    letter about a possible clot, so that all the GP must act on is together near the top."""
    return (
        ctx.stored is not None
        and ctx.tier in ACT_NOW_TIERS
        and any(flag.code in CLOT_FLAGS for flag in ctx.flags)
        and SectionKey.RED_FLAGS in included_keys(ctx)
    )


def _difference(left: Any, right: Any, unit: str = "") -> str:
    if not (is_number(left) and is_number(right)):
        return NOT_DONE
    return number(round(abs(left - right), 1), unit)


def _heel_raise(stored: Stored) -> list[tuple[Row, bool]]:
    test, result = stored.section("document", "heel_raise"), stored.section("evaluation", "heel_raise")
    left, right = test.get("left_reps"), test.get("right_reps")
    flags = [HEEL_RAISE_FLAGS.get(str(code), str(code)) for code in as_list(result.get("flags"))]
    lsi, norm = result.get("lsi_percent"), result.get("age_sex_norm_reps")
    reading = [f"LSI {number(lsi)} %" if is_number(lsi) else f"LSI {NOT_DONE}"]
    reading.append(f"age-sex norm {number(norm)}" if is_number(norm) else "no age-sex norm")
    rows = [(("Heel raise, knee straight (reps)", number(left), number(right), _difference(left, right),
              "; ".join(reading + flags)), bool(flags))]  # fmt: skip
    extras = stored.section("detail", "heel_raise")
    bent_left, bent_right = extras.get("bent_left_reps"), extras.get("bent_right_reps")
    if "bent_left_reps" in extras or "bent_right_reps" in extras:  # recorded: shown, a bad value as "–"
        bent_lsi = _bent_lsi(bent_left, bent_right, stored.side)
        low = bent_lsi is not None and bent_lsi < LSI_TARGET_PERCENT
        bent_reading = f"LSI {bent_lsi:.1f} %" if bent_lsi is not None else f"LSI {NOT_DONE}"
        bent_reading += "; LSI under 90 %" if low else ""
        rows.append((("Heel raise, knee bent (reps)", number(bent_left), number(bent_right),
                      _difference(bent_left, bent_right), bent_reading), low))  # fmt: skip
    return rows


def _bent_lsi(left: Any, right: Any, side: str) -> float | None:
    if not (is_whole(left) and is_whole(right)) or side not in ("left", "right"):
        return None
    involved, other = (left, right) if side == "left" else (right, left)
    return limb_symmetry_percent(involved, other)


def _knee_to_wall(stored: Stored) -> list[tuple[Row, bool]]:
    test, result = stored.section("document", "knee_to_wall"), stored.section("evaluation", "knee_to_wall")
    cells = []
    for cm_key, deg_key in (("left_cm", "left_deg"), ("right_cm", "right_deg")):
        cell = number(test.get(cm_key), " cm")
        cells.append(cell + (f" ({number(result.get(deg_key))}°)" if is_number(result.get(deg_key)) else ""))
    difference = result.get("difference_cm")
    flag = KNEE_TO_WALL_FLAGS.get(str(result.get("flag")), "")
    reading = flag or ("No asymmetry flag" if result.get("flag") == "none" else NOT_DONE)
    rows = [(("Knee to wall", cells[0], cells[1], number(difference, " cm"), reading), bool(flag))]
    extras = stored.section("detail", "knee_to_wall")
    left, right = extras.get("straight_knee_deg_left"), extras.get("straight_knee_deg_right")
    if "straight_knee_deg_left" in extras or "straight_knee_deg_right" in extras:
        rows.append((("Straight-knee dorsiflexion", number(left, "°"), number(right, "°"),
                      _difference(left, right, "°"), ""), False))  # fmt: skip
    return rows


def _neural(stored: Stored) -> list[tuple[Row, bool]]:
    neural, extras = stored.section("document", "neural"), stored.section("detail", "neural")
    rows: list[tuple[Row, bool]] = []
    for name, key in (("Slump", "slump"), ("Straight-leg raise", "straight_leg_raise")):
        result = neural.get(key)
        reading = "; ".join([words(NEURAL_WORDS, result), *_neural_detail(as_dict(extras.get(key)))])
        rows.append(((name, "", "", "", reading), result == "positive"))
    deficit = neural.get("neurological_deficit")
    rows.append((("Neurological deficit", "", "", "", yes_no(deficit)), deficit is True))
    return rows


def _neural_detail(detail: dict[str, Any]) -> list[str]:
    parts = []
    if isinstance(detail.get("response"), str):
        parts.append(words(RESPONSE_WORDS, detail["response"]))
    if isinstance(detail.get("differentiation"), str):
        parts.append(words(DIFFERENTIATION_WORDS, detail["differentiation"]))
    if is_number(detail.get("hip_angle_deg")):
        parts.append(f"hip angle {number(detail['hip_angle_deg'])}°")
    symptoms = text(detail.get("symptoms"))
    return [*parts, symptoms] if symptoms else parts


def _examination(stored: Stored) -> tuple[list[tuple[Row, bool]], list[str]]:
    """The examination findings: rows for the remarkable and unanswered ones, words for the unremarkable ones."""
    examination = stored.section("document", "examination")
    rows: list[tuple[Row, bool]] = []
    unremarkable: list[str] = []
    for key, label in EXAMINATION_FINDINGS:
        if key not in examination:
            continue
        answer = examination.get(key)
        usual, words_for_usual = EXAMINATION_UNREMARKABLE[key]
        if answer is usual:
            unremarkable.append(words_for_usual)
        else:
            rows.append(((label, "", "", "", yes_no(answer)), key in FLAGGED_WHEN_YES and answer is True))
    loading = [EXAMINATION_UNREMARKABLE[key][1] for key in _LOADING]
    if all(words in unremarkable for words in loading):
        unremarkable = [words for words in unremarkable if words != loading[1]]
        unremarkable[unremarkable.index(loading[0])] = LOADING_SAME
    return rows, unremarkable


def _protocol(stored: Stored) -> str:
    test, extras = stored.section("document", "heel_raise"), stored.section("detail", "heel_raise")
    parts = []
    surface = test.get("protocol")
    if isinstance(surface, str):
        parts.append(_SURFACES.get(surface, surface))
    if test.get("knee") in ("straight", "bent"):
        parts.append(f"knee {test['knee']}")
    cadence = extras.get("cadence_bpm", "absent")
    if isinstance(surface, str) and cadence == _SURFACE_CADENCE.get(surface):
        pass  # "10° incline at 60 bpm" has said it
    elif is_whole(cadence):
        parts.append(f"cadence {cadence} bpm")
    elif cadence in (None, "self_paced"):
        parts.append("self-paced")
    if extras.get("footwear") in ("barefoot", "shod"):
        parts.append(str(extras["footwear"]))
    parts += _stopped(extras)
    return ", ".join(parts) or NOT_DONE


def _stopped(extras: dict[str, Any]) -> list[str]:
    """Why each side's test ended: "left stopped by fatigue"; "both stopped by fatigue" when the same."""
    left, right = extras.get("termination_left"), extras.get("termination_right")
    if isinstance(left, str) and left == right:
        return [f"both {HEEL_RAISE_STOPPED.get(left, left)}"]
    sides = (("left", left), ("right", right))
    return [f"{side} {HEEL_RAISE_STOPPED.get(why, why)}" for side, why in sides if isinstance(why, str)]


def wells_block(ctx: Context, stored: Stored) -> Block:
    """Each Wells item with its answer and points, the total and the category (CLINICAL.md 5.2; J3); one line
    when no item was answered at all."""
    answers = stored.section("document", "red_flags").get("wells")
    answers = answers if isinstance(answers, dict) else {}
    wells = stored.section("evaluation", "wells")
    category, score = wells.get("category"), wells.get("score")
    if category == "not_assessed" or not any(isinstance(answers.get(item.key), bool) for item in WELLS_ITEMS):
        return Text(ctx.spell(WELLS_NOT_ASSESSED_LINE), "strong")
    rows = []
    for item in WELLS_ITEMS:
        answer = answers.get(item.key)
        points = f"{item.points:+d}" if answer is True else "0" if answer is False else NOT_DONE
        rows.append((ctx.spell(item.wording), "Yes" if answer is True else "No" if answer is False else
                     "Not answered", points))  # fmt: skip
    complete = all(isinstance(answers.get(item.key), bool) for item in WELLS_ITEMS)
    if not complete or category not in WELLS_CATEGORY or not is_number(score):
        reading = WELLS_INCOMPLETE
    else:
        reading = f"Score {number(score)}: {WELLS_CATEGORY[str(category)]}"
    rows.append(("Total", "", number(score) if complete else NOT_DONE))
    safe = complete and category == "unlikely"
    return Table(
        header=tuple(ctx.spell(cell) for cell in WELLS_HEADER),
        rows=tuple(rows),
        caption=ctx.spell(f"{reading}. {WELLS_FOLLOW}"),
        flagged=() if safe else (len(rows) - 1,),
        compact=True,
    )
