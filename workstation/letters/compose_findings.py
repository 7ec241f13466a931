"""The findings of a letter (CLINICAL.md 9.1 item 5): one table of the tests, and the Wells items with the total.

Values are the stored ones; the readings (LSI, norm, flags, Wells category) are the stored evaluation's, in
plain phrases (``heel_raise_reading``), so the letter and the app agree on every number. A flagged row is a
value past its threshold. An examination finding that is unremarkable goes into one "Examination: no …; no …"
line under the table rather than a row of its own, and a test that was not done into one "Not tested: …"
line (with the reason when a DVT is suspected: no provocative tests, CLINICAL.md 5.2) rather than a row of
dashes. An unanswered finding keeps its row and reads "–", never a "no" (RELIABILITY.md J3). The Wells score
is ``compose_wells``'s: the full table where DVT is in question, one line where it is not.
"""

from __future__ import annotations

from typing import Any

from workstation.assessment.summary_lines import KNEE_TO_WALL_FLAGS, NEURAL_WORDS
from workstation.clinical.heel_raise import LSI_TARGET_PERCENT, limb_symmetry_percent
from workstation.letters.answer_lines import listed
from workstation.letters.compose_wells import findings_wells
from workstation.letters.context import Context
from workstation.letters.document import Block, Table, Text
from workstation.letters.heel_raise_reading import bent_knee_reading, heel_raise_reading
from workstation.letters.record_words import (
    DIFFERENTIATION_WORDS,
    EXAMINATION_FINDINGS,
    EXAMINATION_TESTS,
    EXAMINATION_UNREMARKABLE,
    FLAGGED_WHEN_YES,
    HEEL_RAISE_STOPPED,
    LOADING_SAME,
    NORMAL_AT_REST,
    NORMAL_AT_REST_EXERCISE_ONLY,
    NOT_TESTED,
    NOT_TESTED_FOR_DVT,
    NOT_TESTED_WORDS,
    RESPONSE_WORDS,
    yes_no,
)
from workstation.letters.stored import Stored, as_dict, as_list, is_number, is_whole, number, text, words
from workstation.letters.wording import NO_ASSESSMENT, NOT_DONE

HEADER = ("Test", "Left", "Right", "Difference", "Reading")
EXAMINATION_LINE = "Examination"
_SIDES = {"left": "Left", "right": "Right", "both": "Both"}
_SURFACES = {
    "incline_10deg_60bpm": "10° incline at 60 bpm",
    "flat_floor": "flat floor (clinic variant, not the research standard)",
    "step": "step",
    "other": "other protocol",
}
_LOADING = ("straight_knee_loading_worse_than_bent", "bent_knee_loading_worse_than_straight")
_SURFACE_CADENCE = {"incline_10deg_60bpm": 60}  # the protocol's own cadence, named with the surface
_MEASURED = {"heel_raise": ("left_reps", "right_reps"), "knee_to_wall": ("left_cm", "right_cm")}
Row = tuple[str, str, str, str, str]


def findings_blocks(ctx: Context) -> tuple[Block, ...]:
    """The tests as one table (measurements, neural tests, remarkable examination findings), the lines of
    the unremarkable examination findings and of the tests not done under it, then the Wells score."""
    if ctx.stored is None:
        return (Text(ctx.spell(NO_ASSESSMENT)),)
    stored = ctx.stored
    untested = not_tested(stored)
    rows: list[tuple[Row, bool]] = []
    if "heel_raise" not in untested:
        rows += _heel_raise(stored)
    if "knee_to_wall" not in untested:
        rows += _knee_to_wall(stored)
    rows += _neural(stored, untested)
    remarkable, unremarkable = _examination(stored, untested)
    rows += remarkable
    caption = f"Symptomatic side: {_SIDES.get(stored.side, NOT_DONE)}."
    if "heel_raise" not in untested:
        caption += f" Heel-raise protocol: {_protocol(stored)}."
    cells: list[tuple[str, ...]] = [(ctx.spell(row[0]), *row[1:]) for row, _ in rows]
    header = tuple(ctx.spell(cell) for cell in HEADER)
    if not any(any(row[1:4]) for row in cells):  # nothing measured side by side: no empty columns
        header, cells = (header[0], header[-1]), [(row[0], row[-1]) for row in cells]
    table = Table(
        header=header,
        rows=tuple(cells),
        caption=ctx.spell(caption),
        flagged=tuple(index for index, (_, flagged) in enumerate(rows) if flagged),
    )
    lines: list[Block] = [Text(ctx.spell(f"{EXAMINATION_LINE}: {listed(unremarkable)}."))] if unremarkable else []
    if untested:
        template = NOT_TESTED_FOR_DVT if any(flag.code == "dvt" for flag in ctx.flags) else NOT_TESTED
        tests = dict.fromkeys(NOT_TESTED_WORDS[key] for key in untested)
        lines.append(Text(ctx.spell(template.format(tests="; ".join(tests)))))
    return (table, *lines, findings_wells(ctx, stored))


def not_tested(stored: Stored) -> tuple[str, ...]:
    """The tests of a readable record that were not done, in table order (``NOT_TESTED_WORDS`` keys).

    A measurement is not done when neither side was recorded, a neural test when it reads "not tested" (or
    has no answer) and nothing else was noted of it, an examination test when it has no answer. Nothing of a
    record that cannot be read is "not tested": its rows print "–" as everything else does.
    """
    if not stored.document:
        return ()
    found: list[str] = []
    for test, sides in _MEASURED.items():
        values = stored.document.get(test, {})
        if isinstance(values, dict) and all(values.get(side) is None for side in sides):
            found.append(test)
    neural, extras = stored.document.get("neural", {}), stored.section("detail", "neural")
    if isinstance(neural, dict):
        found += [key for key in ("slump", "straight_leg_raise")
                  if neural.get(key) in (None, "not_tested") and not as_dict(extras.get(key))]  # fmt: skip
    examination = stored.document.get("examination", {})
    if isinstance(examination, dict):
        found += [key for key in NOT_TESTED_WORDS if key in EXAMINATION_TESTS and key in examination
                  and examination[key] is None]  # fmt: skip
    return tuple(found)


def _difference(left: Any, right: Any, unit: str = "") -> str:
    if not (is_number(left) and is_number(right)):
        return NOT_DONE
    return number(round(abs(left - right), 1), unit)


def _heel_raise(stored: Stored) -> list[tuple[Row, bool]]:
    test, result = stored.section("document", "heel_raise"), stored.section("evaluation", "heel_raise")
    left, right = test.get("left_reps"), test.get("right_reps")
    involved = {"left": (left,), "right": (right,), "both": (left, right)}.get(stored.side, ())
    recorded = bool(involved) and all(is_whole(reps) for reps in involved)
    flagged = bool(as_list(result.get("flags")))
    rows = [(("Heel raise, knee straight (reps)", number(left), number(right), _difference(left, right),
              heel_raise_reading(result, recorded)), flagged)]  # fmt: skip
    extras = stored.section("detail", "heel_raise")
    bent_left, bent_right = extras.get("bent_left_reps"), extras.get("bent_right_reps")
    if "bent_left_reps" in extras or "bent_right_reps" in extras:  # recorded: shown, a bad value as "–"
        bent_lsi = _bent_lsi(bent_left, bent_right, stored.side)
        low = bent_lsi is not None and bent_lsi < LSI_TARGET_PERCENT
        rows.append((("Heel raise, knee bent (reps)", number(bent_left), number(bent_right),
                      _difference(bent_left, bent_right), bent_knee_reading(bent_lsi)), low))  # fmt: skip
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


def _neural(stored: Stored, untested: tuple[str, ...]) -> list[tuple[Row, bool]]:
    neural, extras = stored.section("document", "neural"), stored.section("detail", "neural")
    rows: list[tuple[Row, bool]] = []
    for name, key in (("Slump", "slump"), ("Straight-leg raise", "straight_leg_raise")):
        if key in untested:
            continue
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


def _examination(stored: Stored, untested: tuple[str, ...]) -> tuple[list[tuple[Row, bool]], list[str]]:
    """The examination findings: rows for the remarkable and unanswered ones, words for the unremarkable ones
    (and "normal at rest" when it was found so)."""
    examination = stored.section("document", "examination")
    rows: list[tuple[Row, bool]] = []
    unremarkable: list[str] = []
    for key, label in EXAMINATION_FINDINGS:
        if key not in examination or key in untested:
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
    if examination.get("normal_at_rest") is True:
        no_pain_at_rest = stored.section("document", "history").get("pain_at_rest_or_night") is False
        unremarkable.append(NORMAL_AT_REST_EXERCISE_ONLY if no_pain_at_rest else NORMAL_AT_REST)
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
