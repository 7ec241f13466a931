"""What an import would do, row by row, before anything is stored: the run, its problems, or why it is skipped.

The commit is all or nothing: ``can_commit`` is True only when no row has a problem and at least one run
would be imported. The user fixes the file (or the column mapping) and previews again.

Duplicates are skipped, not errors. Two runs are the same run when both carry an app's activity id and the
ids are equal; when either has no id, when they are on the same date with distances within 1 % and
durations within a minute (a missing duration on either side does not tell them apart).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from workstation.running.records import RunRecord
from workstation.running.validation import run_problems

SAME_DISTANCE_FRACTION = 0.01
SAME_DURATION_MIN = 1.0


class SkipReason(Enum):
    NOT_A_RUN = "not_a_run"
    NO_DISTANCE = "no_distance"
    DUPLICATE_IN_FILE = "duplicate_in_file"
    ALREADY_LOGGED = "already_logged"


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """One thing wrong with one row: the file line, the column as the user sees it, and what to do."""

    line: int
    column: str  # '' when the problem is with the whole row
    message: str

    @property
    def text(self) -> str:
        where = f"Line {self.line}, {self.column}" if self.column else f"Line {self.line}"
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class ImportRow:
    """One data row of the file: exactly one of ``run`` (would be stored), ``problems`` or ``skipped``."""

    line: int
    run: RunRecord | None = None
    problems: tuple[ImportProblem, ...] = ()
    skip: SkipReason | None = None
    skip_message: str = ""
    duplicate_of_line: int | None = None  # the earlier line of this file it repeats

    @property
    def status(self) -> str:
        if self.problems:
            return "error"
        return "skipped" if self.skip is not None else "import"


@dataclass(frozen=True, slots=True)
class ImportPreview:
    rows: tuple[ImportRow, ...]
    source: str  # "strava" or "csv"
    file_problems: tuple[str, ...] = field(default=())  # a missing date or distance column, say

    @property
    def runs(self) -> list[RunRecord]:
        """The runs the commit would store, in file order."""
        return [row.run for row in self.rows if row.run is not None and row.status == "import"]

    @property
    def runs_to_import(self) -> int:
        return sum(1 for row in self.rows if row.status == "import")

    @property
    def error_count(self) -> int:
        """Rows with at least one problem."""
        return sum(1 for row in self.rows if row.problems)

    @property
    def problems(self) -> list[ImportProblem]:
        return [problem for row in self.rows for problem in row.problems]

    @property
    def duplicates(self) -> int:
        """Rows skipped because they repeat an earlier row or a run already in the log."""
        return sum(1 for row in self.rows if row.skip in (SkipReason.DUPLICATE_IN_FILE, SkipReason.ALREADY_LOGGED))

    @property
    def skipped(self) -> int:
        """Rows skipped for another reason (a ride, a walk, an activity with no distance)."""
        return sum(1 for row in self.rows if row.skip in (SkipReason.NOT_A_RUN, SkipReason.NO_DISTANCE))

    @property
    def can_commit(self) -> bool:
        return not self.file_problems and self.error_count == 0 and self.runs_to_import > 0


@dataclass(slots=True)
class RowDraft:
    """A row as the format reader left it: a run to check, problems already found, or a skip."""

    line: int
    run: RunRecord | None = None
    problems: list[ImportProblem] = field(default_factory=list)
    skip: SkipReason | None = None
    skip_message: str = ""


def finish_preview(
    drafts: Iterable[RowDraft],
    *,
    source: str,
    today: date,
    columns: dict[str, str],
    existing: Iterable[RunRecord],
    file_problems: Sequence[str] = (),
) -> ImportPreview:
    """Check each run with ``run_problems`` and mark duplicates. ``columns`` maps run fields to column labels."""
    logged = _RunIndex(existing)
    seen = _RunIndex(())
    rows: list[ImportRow] = []
    for draft in drafts:
        if draft.skip is not None and not draft.problems:
            rows.append(ImportRow(draft.line, skip=draft.skip, skip_message=draft.skip_message))
            continue
        problems = list(draft.problems)
        if draft.run is not None and not problems:
            problems += [
                ImportProblem(draft.line, columns.get(p.field, ""), p.message)
                for p in run_problems(draft.run, today=today)
                if p.blocks_save
            ]
        if problems or draft.run is None:
            rows.append(ImportRow(draft.line, problems=tuple(problems)))
            continue
        rows.append(_duplicate_or_run(draft.line, draft.run, seen, logged))
        seen.add(draft.run, draft.line)
    return ImportPreview(tuple(rows), source, tuple(file_problems))


def _duplicate_or_run(line: int, run: RunRecord, seen: _RunIndex, logged: _RunIndex) -> ImportRow:
    earlier = seen.match(run)
    if earlier is not None:
        return ImportRow(
            line,
            run=run,
            skip=SkipReason.DUPLICATE_IN_FILE,
            skip_message=f"Same run as line {earlier}.",
            duplicate_of_line=earlier,
        )
    if logged.match(run) is not None:
        return ImportRow(line, run=run, skip=SkipReason.ALREADY_LOGGED, skip_message="Already in the running log.")
    return ImportRow(line, run=run)


class _RunIndex:
    """Runs by activity id and by date, so matching 10,000 rows against a long log stays linear."""

    def __init__(self, runs: Iterable[RunRecord]) -> None:
        self._by_id: dict[str, int] = {}
        self._by_date: defaultdict[date, list[tuple[RunRecord, int]]] = defaultdict(list)
        for run in runs:
            self.add(run, 0)

    def add(self, run: RunRecord, line: int) -> None:
        if run.external_id:
            self._by_id.setdefault(run.external_id, line)
        self._by_date[run.run_on].append((run, line))

    def match(self, run: RunRecord) -> int | None:
        """The line (0 for a stored run) of a run that is the same as ``run``, or None."""
        if run.external_id and run.external_id in self._by_id:
            return self._by_id[run.external_id]
        for other, line in self._by_date.get(run.run_on, ()):
            if run.external_id and other.external_id:
                continue  # both from an app with ids, and the ids differ: two activities
            if _same_figures(run, other):
                return line
        return None


def _same_figures(run: RunRecord, other: RunRecord) -> bool:
    if abs(run.distance_km - other.distance_km) > SAME_DISTANCE_FRACTION * max(run.distance_km, other.distance_km):
        return False
    if run.duration_min is None or other.duration_min is None:
        return True
    return abs(run.duration_min - other.duration_min) <= SAME_DURATION_MIN
