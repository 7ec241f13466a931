"""Two workstations edit the same patients and episodes at once: no save ever overwrites a change its
writer had not seen (RELIABILITY.md I1), on SQLite and on PostgreSQL.

Each interleaving has two workstations (two stores on one database, as two copies of CalfDesk) read one
record, change different fields, and save in a random order, with random extra steps between: looks at
the record, reloads, and saves of other records. An oracle keeps what every record must hold and checks
each step against the database. A save whose writer had read an older version must raise ConflictError
and leave the record exactly as the earlier save left it; its writer then reloads, changes and saves, and
that must succeed. A save that succeeds from an older version is a silent lost update: there must be none.

"Racing" saves put the other writer's whole save inside this writer's save, after it read the row and
before it wrote it. On PostgreSQL the other save commits in between, so only the version column in the
UPDATE's WHERE clause can refuse this writer (StaleDataError). SQLite's writes begin with BEGIN IMMEDIATE,
so there the other save queues behind this one and is refused when it reads the newer version.

CALFDESK_INTERLEAVINGS sets the count per backend (1,000 by default; nightly 10,000), and
CALFDESK_INTERLEAVING_SEED replays a run: a failure names the seed and the interleaving.
"""

from __future__ import annotations

import os
import random
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm.exc import StaleDataError

from tests import dbkit
from workstation.errors import ConflictError
from workstation.records import Episode, EpisodeStatus, Patient, Side

INTERLEAVINGS = int(os.environ.get("CALFDESK_INTERLEAVINGS", "1000"))
SEED = int(os.environ.get("CALFDESK_INTERLEAVING_SEED") or random.SystemRandom().randrange(2**32))
RECORDS_PER_TABLE = 40
COLLIDING_SHARE = 0.85  # both writers read before either saves; the rest save one after the other
RACE_SHARE = 0.25  # of the colliding ones
MAX_EXTRA_STEPS = 3
_PATIENT_FIELDS = ("email", "address", "preferred_name", "family_name", "given_name")

Record = Patient | Episode


class _Patients:
    table = "patient"

    def read(self, store: Any, record_id: int) -> Record:
        patient: Patient = store.patients.get(record_id)
        return patient

    def save(self, store: Any, record: Record) -> Record:
        saved: Patient = store.patients.update(record)
        return saved

    def changed(self, record: Record, tag: str, rng: random.Random) -> Record:
        """The phone, which both writers change, and one other field, often a different one."""
        assert isinstance(record, Patient)
        return record.with_changes(phone=tag, **{rng.choice(_PATIENT_FIELDS): f"{tag} {rng.random():.6f}"})


class _Episodes:
    table = "episode"

    def read(self, store: Any, record_id: int) -> Record:
        patient_id = _EPISODE_PATIENTS[record_id]
        (episode,) = [e for e in store.episodes.for_patient(patient_id) if e.id == record_id]
        stored: Episode = episode
        return stored

    def save(self, store: Any, record: Record) -> Record:
        saved: Episode = store.episodes.update(record)
        return saved

    def changed(self, record: Record, tag: str, rng: random.Random) -> Record:
        assert isinstance(record, Episode)
        return replace(
            record,
            complaint=f"Calf pain when running, {tag}",
            side=rng.choice((Side.LEFT, Side.RIGHT, Side.BOTH)),
            status=rng.choice((EpisodeStatus.OPEN, EpisodeStatus.ON_HOLD)),
        )


_EPISODE_PATIENTS: dict[int, int] = {}  # episode id -> patient id, filled by the pool


@dataclass
class _Writer:
    name: str
    store: Any
    base: Record | None = None  # the version this workstation's form was loaded from


@dataclass
class _Outcome:
    mine: Record
    saved: Record | None = None
    conflict: ConflictError | None = None


@dataclass
class Tally:
    interleavings: int = 0
    conflicts: int = 0
    races: int = 0
    refused_by_version_column: int = 0
    reloads_saved: int = 0
    lost_updates: int = 0
    failures: list[str] = field(default_factory=list)


@dataclass
class _Case:
    """One interleaving: its record, its writers and the oracle of every record's stored state."""

    index: int
    rng: random.Random
    kind: _Patients | _Episodes
    record_id: int
    others: list[int]
    writers: tuple[_Writer, _Writer]
    expected: dict[tuple[str, int], Record]
    tally: Tally
    backend: str
    serial: int = 0

    def tag(self, writer: _Writer) -> str:
        self.serial += 1
        return f"{writer.name}{self.index}.{self.serial}"

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind.table, self.record_id)

    def fail(self, what: str) -> None:
        where = f"seed {SEED}, interleaving {self.index} ({self.kind.table} {self.record_id})"
        self.tally.failures.append(f"{where}: {what}")


def test_two_writers_never_lose_an_update(database_url: str) -> None:
    backend = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    first, second = dbkit.open_store(database_url), dbkit.open_store(database_url)
    try:
        expected = _pool(first)
        tally = Tally()
        rng = random.Random(SEED)
        for index in range(INTERLEAVINGS):
            _run(_case(index, random.Random(rng.getrandbits(64)), first, second, expected, tally, backend))
            if len(tally.failures) >= 5:
                break
        _check_every_record(first, expected, tally)
    finally:
        first.close()
        second.close()
    print(
        f"\nI1 {backend}: {tally.interleavings} interleavings (seed {SEED}), {tally.conflicts} conflicts "
        f"refused, {tally.races} racing saves, {tally.refused_by_version_column} refused by the version column, "
        f"{tally.reloads_saved} reloads saved, {tally.lost_updates} lost updates"
    )
    assert not tally.failures, "\n".join(tally.failures)
    assert tally.lost_updates == 0
    assert tally.interleavings == INTERLEAVINGS
    assert tally.conflicts >= INTERLEAVINGS // 2  # most interleavings really do collide
    assert tally.reloads_saved == tally.conflicts
    if backend == "postgresql":
        assert tally.refused_by_version_column > 0  # the WHERE version = ... backstop was exercised


def test_the_later_of_two_saves_is_refused_and_holds_the_earlier_values(store: Any, database_url: str) -> None:
    """The plain case, spelt out: both open the patient, A saves, B's save is refused, B reloads and saves."""
    other_workstation = dbkit.open_store(database_url)
    try:
        saved = store.patients.add(Patient("Aroha", "Ngata", date(1998, 3, 4)))
        mine, theirs = store.patients.get(saved.id), other_workstation.patients.get(saved.id)
        store.patients.update(mine.with_changes(phone="021 555 0101"))
        try:
            other_workstation.patients.update(theirs.with_changes(email="aroha@example.org"))
        except ConflictError as refused:
            assert refused.current_version == saved.version + 1
        else:
            raise AssertionError("the stale save was accepted")
        stored = other_workstation.patients.get(saved.id)
        assert (stored.phone, stored.email, stored.version) == ("021 555 0101", "", saved.version + 1)
        resaved = other_workstation.patients.update(stored.with_changes(email="aroha@example.org"))
        assert (resaved.phone, resaved.email) == ("021 555 0101", "aroha@example.org")
    finally:
        other_workstation.close()


def _pool(store: Any) -> dict[tuple[str, int], Record]:
    """The records the interleavings edit, as stored."""
    expected: dict[tuple[str, int], Record] = {}
    _EPISODE_PATIENTS.clear()
    for n in range(RECORDS_PER_TABLE):
        patient = store.patients.add(Patient(f"Runner {n}", "Ødegård", date(1980 + n % 30, 1 + n % 12, 1)))
        expected[("patient", patient.id)] = patient
        owner = store.patients.add(Patient(f"Athlete {n}", "Nguyễn", date(1990, 6, 1)))
        episode = store.episodes.add(Episode(owner.id, "Calf pain", Side.LEFT, date(2026, 1, 1 + n % 28)))
        _EPISODE_PATIENTS[episode.id] = owner.id
        expected[("episode", episode.id)] = episode
    return expected


def _case(
    index: int, rng: random.Random, first: Any, second: Any, expected: dict[tuple[str, int], Record], tally: Tally,
    backend: str,
) -> _Case:  # fmt: skip
    kind: _Patients | _Episodes = rng.choice((_Patients(), _Episodes()))
    ids = [record_id for table, record_id in expected if table == kind.table]
    record_id = rng.choice(ids)
    others = [i for i in ids if i != record_id]
    writers = (_Writer("A", first), _Writer("B", second))
    if rng.random() < 0.5:
        writers = (writers[1], writers[0])  # which store reads first is part of the interleaving too
    return _Case(index, rng, kind, record_id, others, writers, expected, tally, backend)


def _schedule(rng: random.Random) -> list[tuple[str, int]]:
    """Each writer reads, then saves: mostly both read before either saves (they collide), sometimes one
    after the other (they must not); some collisions race; extra steps go anywhere."""
    first, second = rng.sample((0, 1), 2)
    if rng.random() < COLLIDING_SHARE:
        core = [("read", first), ("read", second), *rng.sample([("save", 0), ("save", 1)], 2)]
        if rng.random() < RACE_SHARE:
            core[2:] = [("race", core[2][1])]  # the first saver's transaction is open when the other saves
    else:
        core = [("read", first), ("save", first), ("read", second), ("save", second)]
    for _ in range(rng.randint(0, MAX_EXTRA_STEPS)):
        extra = (rng.choice(("peek", "reload", "other")), rng.randint(0, 1))
        core.insert(rng.randint(0, len(core)), extra)
    return core


def _run(case: _Case) -> None:
    schedule = _schedule(case.rng)
    for step, writer_index in schedule:
        writer, other = case.writers[writer_index], case.writers[1 - writer_index]
        if step in ("read", "reload"):
            writer.base = _read_as_expected(case, writer)
        elif step == "peek":
            _read_as_expected(case, writer)
        elif step == "other":
            _save_another_record(case, writer)
        elif step == "save":
            _save(case, writer)
        else:
            _race(case, writer, other)
    case.tally.interleavings += 1


def _read_as_expected(case: _Case, writer: _Writer) -> Record:
    stored = case.kind.read(writer.store, case.record_id)
    if stored != case.expected[case.key]:
        case.fail(f"{writer.name} read {stored!r}, expected {case.expected[case.key]!r}")
    return stored


def _save_another_record(case: _Case, writer: _Writer) -> None:
    other_id = case.rng.choice(case.others)
    current = case.kind.read(writer.store, other_id)
    saved = case.kind.save(writer.store, case.kind.changed(current, case.tag(writer), case.rng))
    case.expected[(case.kind.table, other_id)] = saved


def _attempt(case: _Case, writer: _Writer) -> _Outcome:
    if writer.base is None:  # a writer whose save already went through opens the record again
        writer.base = _read_as_expected(case, writer)
    outcome = _Outcome(case.kind.changed(writer.base, case.tag(writer), case.rng))
    try:
        outcome.saved = case.kind.save(writer.store, outcome.mine)
    except ConflictError as refused:
        outcome.conflict = refused
    return outcome


def _save(case: _Case, writer: _Writer) -> None:
    if _judge(case, writer, _attempt(case, writer)):
        _reload_and_save(case, writer)


def _race(case: _Case, writer: _Writer, other: _Writer) -> None:
    """``other``'s whole save runs inside ``writer``'s, after writer read the row and before it wrote it."""
    case.tally.races += 1
    outcomes: dict[str, _Outcome] = {}
    if case.backend == "postgresql":

        def other_saves() -> None:
            outcomes["inner"] = _attempt(case, other)

        with _during_next_read(writer.store.engine, case.kind.table, other_saves):
            outcomes["outer"] = _attempt(case, writer)
        order = [(other, outcomes["inner"]), (writer, outcomes["outer"])]
    else:
        queued = _QueuedSave(case, other)
        with _during_next_read(writer.store.engine, case.kind.table, queued.start):
            outcomes["outer"] = _attempt(case, writer)
        order = [(writer, outcomes["outer"]), (other, queued.finish())]
    losers = [w for w, outcome in order if _judge(case, w, outcome)]
    for loser in losers:
        _reload_and_save(case, loser)


def _judge(case: _Case, writer: _Writer, outcome: _Outcome) -> bool:
    """Check one save against the oracle, in commit order; True when it was (rightly) refused."""
    before = case.expected[case.key]
    assert writer.base is not None
    stale = writer.base.version != before.version
    if outcome.conflict is None:
        assert outcome.saved is not None
        if stale:
            case.tally.lost_updates += 1
            case.fail(f"{writer.name} saved over version {before.version} from version {writer.base.version}")
        if outcome.saved != replace(outcome.mine, version=outcome.mine.version + 1):
            case.fail(f"{writer.name}'s save stored {outcome.saved!r}, not what was typed")
        case.expected[case.key] = outcome.saved
        writer.base = None
        return False
    case.tally.conflicts += 1
    if not stale:
        case.fail(f"{writer.name}'s save from the current version {before.version} was refused")
    if isinstance(outcome.conflict.__cause__, StaleDataError):
        case.tally.refused_by_version_column += 1
    _read_as_expected(case, writer)  # the refused save changed nothing: the earlier save's values stand
    return True


def _reload_and_save(case: _Case, writer: _Writer) -> None:
    writer.base = _read_as_expected(case, writer)
    outcome = _attempt(case, writer)
    if outcome.conflict is not None:
        case.fail(f"{writer.name}'s save after reloading was refused: {outcome.conflict}")
        return
    _judge(case, writer, outcome)
    case.tally.reloads_saved += 1


class _QueuedSave:
    """SQLite: the other workstation's save, started on its own thread while this one's write
    transaction is open, so that it waits for the write lock (BEGIN IMMEDIATE) and goes second."""

    def __init__(self, case: _Case, writer: _Writer) -> None:
        self._case, self._writer = case, writer
        self._beginning = threading.Event()
        self._outcome: list[_Outcome | BaseException] = []
        self._thread = threading.Thread(target=self._run, name="calfdesk-test-queued-save")

    def start(self) -> None:
        event.listen(self._writer.store.engine, "before_cursor_execute", self._on_statement)
        self._thread.start()
        assert self._beginning.wait(5), f"the queued save never began: {self._outcome}"

    def _on_statement(self, *args: Any) -> None:
        if threading.current_thread() is self._thread and str(args[2]).startswith("BEGIN IMMEDIATE"):
            self._beginning.set()  # and now it waits for the write lock this workstation holds

    def _run(self) -> None:
        try:
            self._outcome.append(_attempt(self._case, self._writer))
        except BaseException as error:  # noqa: BLE001  (handed to the test's thread by finish())
            self._outcome.append(error)

    def finish(self) -> _Outcome:
        self._thread.join(10)
        event.remove(self._writer.store.engine, "before_cursor_execute", self._on_statement)
        (outcome,) = self._outcome
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome


@contextmanager
def _during_next_read(engine: Engine, table: str, action: Callable[[], None]) -> Iterator[None]:
    """Run ``action`` right after the next SELECT from ``table`` on ``engine`` has been executed."""
    fired: list[bool] = []

    def after_cursor_execute(*args: Any) -> None:
        statement = str(args[2])
        if not fired and statement.lstrip().upper().startswith("SELECT") and f"FROM {table}" in statement:
            fired.append(True)
            action()

    event.listen(engine, "after_cursor_execute", after_cursor_execute)
    try:
        yield
    finally:
        event.remove(engine, "after_cursor_execute", after_cursor_execute)
    assert fired, f"no SELECT from {table} was seen"


def _check_every_record(store: Any, expected: dict[tuple[str, int], Record], tally: Tally) -> None:
    """Nothing else changed anywhere: every record in the pool is exactly what the oracle says."""
    kinds = {"patient": _Patients(), "episode": _Episodes()}
    for (table, record_id), record in expected.items():
        stored = kinds[table].read(store, record_id)
        if stored != record:
            tally.failures.append(f"seed {SEED}: {table} {record_id} ends as {stored!r}, expected {record!r}")
