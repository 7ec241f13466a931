"""Change since the first assessment: pain, PSFS, LEFS and heel raise, each against its own threshold.

The thresholds are the outcome module's (CLINICAL.md 7.1): NPRS 2 points or 30 % [Farrar 2001], PSFS mean
2 points [Stratford 1995], LEFS 9 points [Binkley 1999]; heel raise against its between-day measurement
error of 6 reps (CLINICAL.md 2.3). A measure missing at either visit reads "Not measured at both".
"""

from __future__ import annotations

from typing import Any

from workstation.clinical.heel_raise import LSI_TARGET_PERCENT, MEASUREMENT_ERROR_REPS
from workstation.clinical.heel_raise_protocol import compare_reps
from workstation.clinical.outcomes import (
    LEFS_MAX_TOTAL,
    LEFS_MCID_POINTS,
    NPRS_IMPORTANT_CHANGE_PERCENT,
    NPRS_IMPORTANT_CHANGE_POINTS,
    NPRS_MAX,
    PSFS_MEAN_MDC_POINTS,
    NprsContext,
    PsfsActivity,
    lefs_change,
    nprs_change,
    psfs_change,
)
from workstation.letters.context import Context
from workstation.letters.document import Block, Table, Text
from workstation.letters.record_words import VERDICT_WORDS
from workstation.letters.stored import Stored, as_dict, as_list, is_number, is_whole, number
from workstation.letters.wording import NO_ASSESSMENT, NOT_DONE

ONLY_ONE = "Only one assessment so far: change is measured from the next one."
NOT_BOTH = "Not measured at both"
CAPTION = (
    f"Important change: pain {NPRS_IMPORTANT_CHANGE_POINTS} points or {NPRS_IMPORTANT_CHANGE_PERCENT} % "
    f"[Farrar 2001]; PSFS mean {PSFS_MEAN_MDC_POINTS} points [Stratford 1995]; LEFS {LEFS_MCID_POINTS} points "
    f"[Binkley 1999]; heel raise {MEASUREMENT_ERROR_REPS} reps or more, beyond the test's measurement error."
)
_PAIN: tuple[tuple[str, str, NprsContext], ...] = (
    ("Pain now (NPRS)", "nprs_now", "now"),
    ("Pain during running (NPRS)", "nprs_during_run", "during_run"),
    ("Worst pain in 24 hours (NPRS)", "nprs_worst_24h", "worst_24h"),
)
Row = tuple[str, str, str, str, str]


def outcomes_blocks(ctx: Context) -> tuple[Block, ...]:
    if ctx.stored is None:
        return (Text(ctx.spell(NO_ASSESSMENT)),)
    if ctx.baseline is None:
        return (Text(ctx.spell(ONLY_ONE)),)
    first, latest = ctx.baseline, ctx.stored
    rows: list[tuple[Row, bool]] = [*_pain(first, latest), _psfs(first, latest), _lefs(first, latest)]
    rows += _heel_raise(first, latest)
    day = ctx.locale.long_date
    header = ("Measure", f"First ({day(first.record.assessed_on)})", f"Latest ({day(latest.record.assessed_on)})",
              "Change", "Meaning")  # fmt: skip
    return (
        Table(
            header=tuple(ctx.spell(cell) for cell in header),
            rows=tuple((ctx.spell(row[0]), row[1], row[2], row[3], ctx.spell(row[4])) for row, _ in rows),
            caption=ctx.spell(CAPTION),
            flagged=tuple(index for index, (_, worse) in enumerate(rows) if worse),
        ),
    )


def _score(value: Any, highest: int) -> int | None:
    """A whole score from 0 to ``highest``, as the contract stores one; None for anything else (not compared)."""
    return value if is_whole(value) and 0 <= value <= highest else None


def _signed(value: float) -> str:
    return f"{value:+g}" if value else "0"


def _pain(first: Stored, latest: Stored) -> list[tuple[Row, bool]]:
    before, after = first.section("document", "history"), latest.section("document", "history")
    rows = []
    for label, key, context in _PAIN:
        a, b = _score(before.get(key), NPRS_MAX), _score(after.get(key), NPRS_MAX)
        if a is None or b is None:
            rows.append(((label, number(before.get(key)), number(after.get(key)), NOT_DONE, NOT_BOTH), False))
            continue
        change = nprs_change(a, b, context)
        rows.append(((label, number(a), number(b), _signed(change.change_points), VERDICT_WORDS[change.verdict]),
                     change.verdict == "worse"))  # fmt: skip
    return rows


def _activities(stored: Stored) -> list[PsfsActivity]:
    """The PSFS as stored; ValueError when any entry is not a named, scored activity."""
    entries = [as_dict(entry) for entry in as_list(stored.section("document", "outcomes").get("psfs"))]
    return [PsfsActivity(entry.get("activity"), entry.get("score")) for entry in entries]  # type: ignore[arg-type]


def _psfs(first: Stored, latest: Stored) -> tuple[Row, bool]:
    label = "PSFS mean (0-10)"
    try:
        change = psfs_change(_activities(first), _activities(latest))
    except ValueError:
        return (label, NOT_DONE, NOT_DONE, NOT_DONE, NOT_BOTH), False
    meaning = VERDICT_WORDS[change.mean_verdict]
    if not change.same_activities:
        meaning += " (the activities named differ between the visits)"
    row = (label, f"{change.baseline_mean:.1f}", f"{change.follow_up_mean:.1f}", _signed(round(change.mean_change, 1)),
           meaning)  # fmt: skip
    return row, change.mean_verdict == "worse"


def _lefs(first: Stored, latest: Stored) -> tuple[Row, bool]:
    label = "LEFS total (0-80)"
    stored_a = first.section("document", "outcomes").get("lefs_total")
    stored_b = latest.section("document", "outcomes").get("lefs_total")
    a, b = _score(stored_a, LEFS_MAX_TOTAL), _score(stored_b, LEFS_MAX_TOTAL)
    if a is None or b is None:
        return (label, number(stored_a), number(stored_b), NOT_DONE, NOT_BOTH), False
    change = lefs_change(a, b)
    meaning = VERDICT_WORDS[change.verdict]
    if change.ceiling_limited:
        meaning += " (near the top of the scale: a 9-point gain cannot show)"
    return (label, str(a), str(b), _signed(change.change), meaning), change.verdict == "worse"


def _heel_raise(first: Stored, latest: Stored) -> list[tuple[Row, bool]]:
    before, after = first.section("document", "heel_raise"), latest.section("document", "heel_raise")
    sides = ("left", "right") if latest.side == "both" else (latest.side,) if latest.side else ()
    rows = []
    for side in sides:
        a, b = before.get(f"{side}_reps"), after.get(f"{side}_reps")
        label = f"Heel raise, {side} (involved) reps"
        change = compare_reps(a, b) if is_whole(a) and is_whole(b) else None
        if change is None:
            rows.append(((label, number(a), number(b), NOT_DONE, NOT_BOTH), False))
            continue
        meaning = {"improved": "More, beyond measurement error", "declined": "Fewer, beyond measurement error",
                   "within_measurement_error": "Within measurement error"}[change.verdict]  # fmt: skip
        if before.get("protocol") != after.get("protocol"):
            meaning += " (different test protocols)"
        rows.append(((label, number(a), number(b), _signed(change.change_reps), meaning), change.verdict == "declined"))
    rows.append(_lsi(first, latest))
    return rows


def _lsi(first: Stored, latest: Stored) -> tuple[Row, bool]:
    a: Any = first.section("evaluation", "heel_raise").get("lsi_percent")
    b: Any = latest.section("evaluation", "heel_raise").get("lsi_percent")
    label = "Heel-raise LSI (%)"
    if not (is_number(a) and is_number(b)):
        return (label, number(a), number(b), NOT_DONE, NOT_BOTH), False
    before, after = float(a), float(b)
    target = f"{LSI_TARGET_PERCENT:g} % target"
    reading = f"At or above the {target}" if after >= LSI_TARGET_PERCENT else f"Below the {target}"
    return (label, number(a), number(b), _signed(round(after - before, 1)), reading), False
