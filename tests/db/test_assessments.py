"""Finalised assessments and red flags (issue 6 items 2 and 7), on SQLite and PostgreSQL.

Finalising writes the assessment, its observations and the link from its episode's red flags in one
transaction; an assessment is never changed (migration 0006's triggers refuse it from any connection) and
a correction is a linked amendment; a red flag is raised once while it stands and resolved once, and a
recorded action can never be overwritten. Erasure and the subject-access export take both tables in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, inspect, text
from sqlalchemy.exc import IntegrityError

from db import cipher
from db.engine import WRITE
from db.erasure import SqlPrivacyStore
from db.patient_export import SqlPatientFile
from tests import dbkit
from workstation.assessment.records import AssessmentRecord, RedFlagRecord
from workstation.errors import ConflictError, RecordNotFound, ValidationFailed
from workstation.privacy.restriction import Grounds, ProcessingRestricted, Restriction
from workstation.records import Episode, Observation, Patient, Side

NOW = datetime(2026, 12, 14, 10, 30, tzinfo=UTC)
DOCUMENT = '{"schema": "calfdesk.assessment/1"}'
EVALUATION = '{"schema": "calfdesk.evaluation/1", "urgency": "routine"}'


def _patient(store: Any, family: str = "Ngata") -> tuple[int, int]:
    patient = store.patients.add(Patient("Aroha", family, date(1991, 5, 6)))
    episode = store.episodes.add(
        Episode(patient.id, "Left calf pain after a hill session", Side.LEFT, date(2026, 12, 1))
    )
    return patient.id, episode.id


def _assessment(patient_id: int, episode_id: int | None, **changes: Any) -> AssessmentRecord:
    record = AssessmentRecord(
        patient_id=patient_id, episode_id=episode_id, assessed_on=date(2026, 12, 14), document=DOCUMENT,
        evaluation=EVALUATION, detail='{"plan": {"pathway": "overload"}}', urgency="routine", recorded_by=7,
    )  # fmt: skip
    return replace(record, **changes)


def _observations(patient_id: int, episode_id: int | None = None) -> list[Observation]:
    return [
        Observation(patient_id, date(2026, 12, 14), "heel_raise_reps", 24, "reps", Side.LEFT, episode_id),
        Observation(patient_id, date(2026, 12, 14), "heel_raise_reps", 31, "reps", Side.RIGHT, episode_id),
        Observation(patient_id, date(2026, 12, 14), "knee_to_wall_cm", 9.5, "cm", Side.LEFT, episode_id),
    ]


def _flag(patient_id: int, episode_id: int | None, code: str = "dvt_likely", tier: str = "urgent",
          at: datetime = NOW) -> RedFlagRecord:  # fmt: skip
    return RedFlagRecord(patient_id, episode_id, code, tier, "Same-day medical assessment for a suspected DVT.", at, 7)


def _count(store: Any, table: str) -> int:
    with store.engine.connect() as connection:
        return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


# ------------------------------------------------------------------------------------------ finalising


def test_finalising_writes_the_assessment_its_observations_and_links_its_flags(store: Any) -> None:
    patient_id, episode_id = _patient(store)
    other_episode = store.episodes.add(Episode(patient_id, "Right Achilles", Side.RIGHT, date(2026, 9, 1))).id
    flag = store.red_flags.raise_flag(_flag(patient_id, episode_id))
    resolved = store.red_flags.resolve(
        store.red_flags.raise_flag(_flag(patient_id, episode_id, "fracture_suspected", "soon")).id,
        "Referred for an X-ray", by=7, at=NOW,
    )  # fmt: skip
    elsewhere = store.red_flags.raise_flag(_flag(patient_id, other_episode))

    saved = store.assessments.finalise(_assessment(patient_id, episode_id), _observations(patient_id))

    assert saved.id is not None and saved.finalised_at is not None
    assert saved == store.assessments.get(saved.id)
    assert (saved.document, saved.evaluation, saved.urgency, saved.recorded_by) == (DOCUMENT, EVALUATION, "routine", 7)
    stored = store.observations.for_patient(patient_id)
    assert [(o.code, o.side, o.value) for o in stored] == [
        ("heel_raise_reps", Side.LEFT, 24), ("heel_raise_reps", Side.RIGHT, 31), ("knee_to_wall_cm", Side.LEFT, 9.5),
    ]  # fmt: skip
    assert {o.episode_id for o in stored} == {episode_id}  # the assessment's episode, whatever they said
    assert {o.recorded_by for o in stored} == {7}
    linked = {f.id: f.assessment_id for f in store.red_flags.for_patient(patient_id)}
    assert linked == {flag.id: saved.id, resolved.id: saved.id, elsewhere.id: None}
    assert store.assessments.for_patient(patient_id) == [saved]


def test_the_callers_finalised_at_is_kept_and_a_retry_is_stored_once(store: Any) -> None:
    patient_id, episode_id = _patient(store)
    record = _assessment(patient_id, episode_id, finalised_at=NOW)
    saved = store.assessments.finalise(record, _observations(patient_id))
    assert saved.finalised_at == NOW
    assert store.assessments.finalise(record, _observations(patient_id)) == saved  # a lost COMMIT, retried
    assert (_count(store, "assessment"), _count(store, "observation")) == (1, 3)


def test_an_assessment_with_no_episode_links_only_flags_with_no_episode(store: Any) -> None:
    patient_id, episode_id = _patient(store)
    loose = store.red_flags.raise_flag(_flag(patient_id, None))
    in_episode = store.red_flags.raise_flag(_flag(patient_id, episode_id))
    saved = store.assessments.finalise(_assessment(patient_id, None), [])
    assert {f.id: f.assessment_id for f in store.red_flags.for_patient(patient_id)} == {
        loose.id: saved.id, in_episode.id: None,
    }  # fmt: skip


def _nothing_written(store: Any, flags: int = 0) -> None:
    assert (_count(store, "assessment"), _count(store, "observation")) == (0, 0)
    with store.engine.connect() as connection:
        linked = connection.execute(text("SELECT count(*) FROM red_flag WHERE assessment_id IS NOT NULL")).scalar()
    assert linked == 0
    assert _count(store, "red_flag") == flags


def test_a_missing_patient_episode_or_amended_assessment_writes_nothing(store: Any) -> None:
    patient_id, episode_id = _patient(store)
    store.red_flags.raise_flag(_flag(patient_id, episode_id))
    refusals = {
        "patient": _assessment(9_999, None),
        "episode": _assessment(patient_id, 9_999),
        "amended assessment": _assessment(patient_id, episode_id, amends_id=9_999, amendment_reason="Typo"),
    }
    for record in refusals.values():
        with pytest.raises(RecordNotFound):
            store.assessments.finalise(record, _observations(record.patient_id))
        _nothing_written(store, flags=1)
    with pytest.raises(ValueError, match="belongs to its patient"):
        store.assessments.finalise(_assessment(patient_id, episode_id), _observations(9_999))
    _nothing_written(store, flags=1)


def test_a_failure_part_way_through_rolls_the_whole_finalise_back(store: Any) -> None:
    patient_id, episode_id = _patient(store)
    store.red_flags.raise_flag(_flag(patient_id, episode_id))
    with _failing_at(store.engine, "UPDATE red_flag"), pytest.raises(OSError, match="the disk went away"):
        store.assessments.finalise(_assessment(patient_id, episode_id), _observations(patient_id))
    _nothing_written(store, flags=1)

    taken = store.observations.add(Observation(patient_id, date(2026, 12, 1), "nprs", 5, "/10"))
    clashing = [*_observations(patient_id), replace(_observations(patient_id)[0], uid=taken.uid)]
    with pytest.raises(IntegrityError):  # the last observation breaks the uid's unique constraint
        store.assessments.finalise(_assessment(patient_id, episode_id), clashing)
    assert _count(store, "assessment") == 0
    assert store.observations.for_patient(patient_id) == [taken]


@contextmanager
def _failing_at(engine: Engine, fragment: str) -> Iterator[None]:
    def before_cursor_execute(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if fragment in statement:
            raise OSError("the disk went away")

    event.listen(engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", before_cursor_execute)


def test_a_restricted_record_gets_no_assessment_and_no_flag(store: Any) -> None:
    patient_id, episode_id = _patient(store)
    flag = store.red_flags.raise_flag(_flag(patient_id, episode_id))
    SqlPrivacyStore(store).restrict(Restriction(patient_id, Grounds.ACCURACY_CONTESTED, NOW, 1))
    with pytest.raises(ProcessingRestricted):
        store.assessments.finalise(_assessment(patient_id, episode_id), _observations(patient_id))
    with pytest.raises(ProcessingRestricted):
        store.red_flags.raise_flag(_flag(patient_id, episode_id, "cauda_equina"))
    with pytest.raises(ProcessingRestricted):
        store.red_flags.resolve(flag.id, "Phoned GP", by=7, at=NOW)
    _nothing_written(store, flags=1)


# ------------------------------------------------------------------------------------------ amendments


def test_an_amendment_replaces_its_version_and_a_second_one_is_a_conflict(store: Any) -> None:
    patient_id, episode_id = _patient(store)
    first = store.assessments.finalise(_assessment(patient_id, episode_id), [])
    later = store.assessments.finalise(_assessment(patient_id, episode_id, assessed_on=date(2026, 12, 28)), [])
    amended = store.assessments.finalise(
        _assessment(patient_id, episode_id, amends_id=first.id, amendment_reason="Left and right swapped",
                    urgency="soon"), _observations(patient_id),
    )  # fmt: skip
    assert (amended.amends_id, amended.amendment_reason) == (first.id, "Left and right swapped")
    assert store.assessments.for_patient(patient_id) == [first, amended, later]  # by assessed_on, then id
    assert store.assessments.current_for_patient(patient_id) == [amended, later]
    assert store.assessments.get(first.id) == first  # the original is kept as it was

    with pytest.raises(ConflictError, match="Someone else amended this assessment"):
        store.assessments.finalise(_assessment(patient_id, episode_id, amends_id=first.id, amendment_reason="x"), [])
    assert _count(store, "assessment") == 3 and _count(store, "observation") == 3
    again = store.assessments.finalise(
        _assessment(patient_id, episode_id, amends_id=amended.id, amendment_reason="y"), []
    )
    assert store.assessments.current_for_patient(patient_id) == [again, later]


def test_an_amendment_belongs_to_the_patient_of_the_version_it_replaces(store: Any) -> None:
    patient_id, episode_id = _patient(store)
    other_id, _ = _patient(store, "Other")
    theirs = store.assessments.finalise(_assessment(other_id, None), [])
    with pytest.raises(ValueError, match="belongs to the patient"):
        store.assessments.finalise(_assessment(patient_id, episode_id, amends_id=theirs.id, amendment_reason="x"), [])
    with pytest.raises(RecordNotFound):
        store.assessments.get(9_999)
    assert store.assessments.current_for_patient(patient_id) == []


def test_two_amendments_of_one_version_at_once_store_one_and_refuse_the_other(pg_url: str) -> None:
    """PostgreSQL: the other workstation's amendment commits after this one checked that nothing amends the
    version, so only the unique amends_id refuses this one; it must end as a ConflictError."""
    here, there = dbkit.open_store(pg_url), dbkit.open_store(pg_url)
    try:
        patient_id, episode_id = _patient(here)
        first = here.assessments.finalise(_assessment(patient_id, episode_id), [])
        theirs: list[AssessmentRecord] = []

        def they_amend() -> None:
            amendment = _assessment(patient_id, episode_id, amends_id=first.id, amendment_reason="theirs")
            theirs.append(there.assessments.finalise(amendment, []))

        mine = _assessment(patient_id, episode_id, amends_id=first.id, amendment_reason="mine")
        with (
            _after_next(here.engine, "WHERE assessment.amends_id", they_amend),
            pytest.raises(ConflictError, match="Someone else amended"),
        ):
            here.assessments.finalise(mine, _observations(patient_id))
        assert here.assessments.current_for_patient(patient_id) == theirs
        assert _count(here, "observation") == 0
    finally:
        here.close()
        there.close()


@contextmanager
def _after_next(engine: Engine, fragment: str, action: Callable[[], None]) -> Iterator[None]:
    fired: list[bool] = []

    def after_cursor_execute(*args: Any) -> None:
        if not fired and fragment in str(args[2]):
            fired.append(True)
            action()

    event.listen(engine, "after_cursor_execute", after_cursor_execute)
    try:
        yield
    finally:
        event.remove(engine, "after_cursor_execute", after_cursor_execute)
    assert fired


# ------------------------------------------------------------------------- refused at the database


def _raw(store: Any, sql: str, **params: Any) -> None:
    """``sql`` through the driver itself, past SQLAlchemy and CalfDesk, committed."""
    if store.is_sqlite:
        with dbkit.raw(store.target.sqlite_path) as connection:
            connection.execute(sql, params)
            connection.commit()
    else:
        import psycopg

        url = store.engine.url.render_as_string(hide_password=False).replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(url) as connection:
            for name in params:
                sql = sql.replace(f":{name}", f"%({name})s")
            connection.execute(sql, params)


def _refusal(store: Any, sql: str, **params: Any) -> str:
    import psycopg

    with pytest.raises((cipher.Error, psycopg.Error)) as refused:
        _raw(store, sql, **params)
    return str(refused.value)


def _rows(store: Any, table: str) -> list[tuple[Any, ...]]:
    with store.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(f"SELECT * FROM {table} ORDER BY id"))]


def test_a_finalised_assessment_cannot_be_changed_or_deleted_from_any_connection(store: Any) -> None:
    patient_id, episode_id = _patient(store)
    saved = store.assessments.finalise(_assessment(patient_id, episode_id), [])
    before = _rows(store, "assessment")
    attempts = [
        "UPDATE assessment SET urgency = 'emergency' WHERE id = :id",
        "UPDATE assessment SET document = '{}', amends_id = NULL WHERE id = :id",
        "DELETE FROM assessment WHERE id = :id",
        *([] if store.is_sqlite else ["TRUNCATE assessment CASCADE", "UPDATE assessment SET detail = '' WHERE id < 0"]),
    ]
    for sql in attempts:
        message = _refusal(store, sql, id=saved.id)
        assert "finalised assessments are never changed or deleted" in message or "permission denied" in message
    assert _rows(store, "assessment") == before


def test_a_red_flags_recorded_action_can_never_be_overwritten(store: Any) -> None:
    patient_id, episode_id = _patient(store)
    flag = store.red_flags.raise_flag(_flag(patient_id, episode_id, "dvt_likely", "emergency"))
    assessment = store.assessments.finalise(_assessment(patient_id, episode_id), [])
    other = store.assessments.finalise(_assessment(patient_id, episode_id, assessed_on=date(2026, 12, 20)), [])
    refused = {
        "UPDATE red_flag SET message = 'Nothing to worry about' WHERE id = :id",
        "UPDATE red_flag SET tier = 'soon' WHERE id = :id",
        "UPDATE red_flag SET patient_id = patient_id + 1 WHERE id = :id",
        f"UPDATE red_flag SET assessment_id = {other.id} WHERE id = :id",  # linked once: never moved
        "UPDATE red_flag SET assessment_id = NULL WHERE id = :id",
        "DELETE FROM red_flag WHERE id = :id",
    }
    # Resolving by hand is the one change allowed, once; after it nothing about the resolution changes.
    _raw(store, "UPDATE red_flag SET action = 'Phoned 999 at 11:20', resolved_at = :at, resolved_by = 7 "
                "WHERE id = :id", id=flag.id, at=NOW)  # fmt: skip
    refused |= {
        "UPDATE red_flag SET action = 'Told to rest' WHERE id = :id",
        "UPDATE red_flag SET action = NULL, resolved_at = NULL, resolved_by = NULL WHERE id = :id",
        "UPDATE red_flag SET resolved_by = 8 WHERE id = :id",
    }
    before = _rows(store, "red_flag")
    for sql in sorted(refused):
        message = _refusal(store, sql, id=flag.id)
        assert any(reason in message for reason in ("only ever linked to its assessment once", "never deleted")), sql
    assert _rows(store, "red_flag") == before
    (stored,) = store.red_flags.for_patient(patient_id)
    assert (stored.assessment_id, stored.action, stored.resolved_by) == (assessment.id, "Phoned 999 at 11:20", 7)
    if not store.is_sqlite:
        message = _refusal(store, "TRUNCATE red_flag CASCADE")  # the privilege is gone; the trigger backs it up
        assert "permission denied" in message or "never deleted" in message


def test_a_blank_action_or_half_a_resolution_is_refused_by_the_database(store: Any) -> None:
    patient_id, episode_id = _patient(store)
    flag = store.red_flags.raise_flag(_flag(patient_id, episode_id))
    for sql in (
        "UPDATE red_flag SET action = '   ', resolved_at = :at WHERE id = :id",
        "UPDATE red_flag SET action = 'Phoned GP' WHERE id = :id",  # no time
        "UPDATE red_flag SET resolved_at = :at WHERE id = :id",  # no action
    ):
        assert "ck_red_flag_resolution" in _refusal(store, sql, id=flag.id, at=NOW)
    assert store.red_flags.unresolved_for_patient(patient_id) == [flag]


# ----------------------------------------------------------------------------------------- red flags


def test_raising_a_standing_flag_again_returns_the_one_already_there(store: Any) -> None:
    patient_id, episode_id = _patient(store)
    other_episode = store.episodes.add(Episode(patient_id, "Right calf", Side.RIGHT, date(2026, 11, 1))).id
    first = store.red_flags.raise_flag(_flag(patient_id, episode_id))
    assert first.id is not None and not first.resolved
    assert store.red_flags.raise_flag(_flag(patient_id, episode_id, at=NOW + timedelta(minutes=5))) == first
    assert store.red_flags.raise_flag(first) == first  # the same uid: a retry
    elsewhere = store.red_flags.raise_flag(_flag(patient_id, other_episode))
    loose = store.red_flags.raise_flag(_flag(patient_id, None))
    assert store.red_flags.raise_flag(_flag(patient_id, None)) == loose
    other_code = store.red_flags.raise_flag(_flag(patient_id, episode_id, "cauda_equina", "emergency"))
    assert len({first.id, elsewhere.id, loose.id, other_code.id}) == 4
    store.red_flags.resolve(first.id, "Phoned GP practice 11:20", by=7, at=NOW)
    raised_again = store.red_flags.raise_flag(_flag(patient_id, episode_id, at=NOW + timedelta(days=3)))
    assert raised_again.id not in {first.id, elsewhere.id, loose.id, other_code.id}  # a new episode of concern
    with pytest.raises(RecordNotFound):
        store.red_flags.raise_flag(_flag(9_999, None))
    with pytest.raises(RecordNotFound):
        store.red_flags.raise_flag(_flag(patient_id, 9_999))


def test_a_flag_is_resolved_once_with_an_action(store: Any) -> None:
    patient_id, episode_id = _patient(store)
    flag = store.red_flags.raise_flag(_flag(patient_id, episode_id))
    with pytest.raises(ValidationFailed) as blank:
        store.red_flags.resolve(flag.id, "  ", by=7, at=NOW)
    assert [p.field for p in blank.value.problems] == ["action"]
    at = NOW + timedelta(minutes=12)
    resolved = store.red_flags.resolve(flag.id, "Phoned GP practice 11:20, patient sent to ED", by=8, at=at)
    assert (resolved.resolved, resolved.action, resolved.resolved_by, resolved.resolved_at) == (
        True, "Phoned GP practice 11:20, patient sent to ED", 8, at,
    )  # fmt: skip
    assert replace(resolved, action=None, resolved_at=None, resolved_by=None) == flag
    with pytest.raises(ConflictError, match="recorded the action taken for this red flag already"):
        store.red_flags.resolve(flag.id, "Told to rest", by=9, at=at + timedelta(hours=1))
    with pytest.raises(RecordNotFound):
        store.red_flags.resolve(9_999, "Phoned GP", by=7, at=NOW)
    assert store.red_flags.for_patient(patient_id) == [resolved]
    assert store.red_flags.unresolved_for_patient(patient_id) == []


def test_unresolved_flags_come_most_urgent_first_then_oldest_first(store: Any) -> None:
    patient_id, episode_id = _patient(store)
    other_id, _ = _patient(store, "Other")
    raised = [
        ("soon_old", "soon", 0), ("urgent_new", "urgent", 30), ("emergency_new", "emergency", 40),
        ("urgent_old", "urgent", 10), ("emergency_old", "emergency", 20), ("soon_new", "soon", 50),
        ("resolved_emergency", "emergency", 5),
    ]  # fmt: skip
    flags = {
        code: store.red_flags.raise_flag(_flag(patient_id, episode_id, code, tier, NOW + timedelta(minutes=minutes)))
        for code, tier, minutes in raised
    }
    store.red_flags.raise_flag(_flag(other_id, None, "someone_elses", "emergency"))
    store.red_flags.resolve(flags["resolved_emergency"].id, "Ambulance called", by=7, at=NOW + timedelta(hours=1))
    unresolved = [f.code for f in store.red_flags.unresolved_for_patient(patient_id)]
    assert unresolved == ["emergency_old", "emergency_new", "urgent_old", "urgent_new", "soon_old", "soon_new"]
    every = [f.code for f in store.red_flags.for_patient(patient_id)]
    assert every == ["soon_old", "resolved_emergency", "urgent_old", "emergency_old", "urgent_new", "emergency_new",
                     "soon_new"]  # fmt: skip


# ------------------------------------------------------------------------------- export and erasure


def _history(store: Any, family: str) -> tuple[int, AssessmentRecord]:
    patient_id, episode_id = _patient(store, family)
    store.red_flags.raise_flag(_flag(patient_id, episode_id, "dvt_likely", "urgent"))
    store.red_flags.resolve(
        store.red_flags.raise_flag(_flag(patient_id, episode_id, "cauda_equina", "emergency")).id,
        f"{family}: phoned 999", by=7, at=NOW,
    )  # fmt: skip
    first = store.assessments.finalise(_assessment(patient_id, episode_id, detail=f'{{"note": "{family}"}}'),
                                       _observations(patient_id))  # fmt: skip
    amended = store.assessments.finalise(
        _assessment(patient_id, episode_id, amends_id=first.id, amendment_reason=f"{family} typo"), []
    )
    store.assessments.finalise(
        _assessment(patient_id, episode_id, amends_id=amended.id, amendment_reason="again"), []
    )  # a chain of three: one DELETE must take it whole
    return patient_id, first


def test_the_subject_access_export_holds_the_patients_assessments_and_flags_only(store: Any) -> None:
    patient_id, first = _history(store, "Asked")
    _history(store, "Other")
    tables = SqlPatientFile(store).read(patient_id)
    assert tables["assessment"][0]["id"] == first.id
    assert {row["patient_id"] for row in [*tables["assessment"], *tables["red_flag"]]} == {patient_id}
    assert [(row["amendment_reason"], row["detail"]) for row in tables["assessment"]] == [
        ("", '{"note": "Asked"}'), ("Asked typo", _assessment(0, None).detail), ("again", _assessment(0, None).detail),
    ]  # fmt: skip
    assert sorted(row["code"] for row in tables["red_flag"]) == ["cauda_equina", "dvt_likely"]
    assert {row["action"] for row in tables["red_flag"]} == {None, "Asked: phoned 999"}
    assert {row["assessment_id"] for row in tables["red_flag"]} == {first.id}


def test_erasure_deletes_the_patients_assessments_and_flags_and_keeps_everyone_elses(store: Any) -> None:
    patient_id, _ = _history(store, "Erased")
    kept_id, _ = _history(store, "Kept")
    kept = (store.assessments.for_patient(kept_id), store.red_flags.for_patient(kept_id))

    deleted = SqlPrivacyStore(store).erase(patient_id)

    assert (deleted["assessment"], deleted["red_flag"], deleted["observation"]) == (3, 2, 3)
    assert store.assessments.for_patient(patient_id) == [] and store.red_flags.for_patient(patient_id) == []
    assert (store.assessments.for_patient(kept_id), store.red_flags.for_patient(kept_id)) == kept
    assert _count(store, "erasure_permit") == 0
    # Outside an erasure the permit's absence still protects the rows that are left.
    assert "never" in _refusal(store, "DELETE FROM assessment WHERE patient_id = :id", id=kept_id)


def test_an_assessment_counts_as_an_entry_for_the_retention_period(store: Any) -> None:
    patient_id, episode_id = _patient(store)
    store.assessments.finalise(_assessment(patient_id, episode_id, assessed_on=date(2031, 3, 1)), [])
    facts = SqlPrivacyStore(store).retention_facts(patient_id)
    assert facts.last_entry == date(2031, 3, 1)


# ---------------------------------------------------------------------------------------- migration


def test_0006_downgrades_to_0005_and_upgrades_again_protected(database_url: str) -> None:
    dbkit.open_store(database_url).close()  # created at head
    engine = dbkit.migration_engine(database_url)
    try:
        with engine.execution_options(**WRITE).begin() as connection:
            dbkit.migrate(connection, "downgrade", "0005")
            assert not {"assessment", "red_flag"} & set(inspect(connection).get_table_names())
            if engine.dialect.name == "postgresql":
                left = connection.execute(
                    text("SELECT proname FROM pg_proc WHERE proname LIKE 'assessment%' OR proname LIKE 'red_flag%'")
                )
                assert left.all() == []
        store = dbkit.open_store(database_url)  # upgrades again
        try:
            patient_id, episode_id = _patient(store)
            saved = store.assessments.finalise(_assessment(patient_id, episode_id), [])
            assert "never changed" in _refusal(store, "DELETE FROM assessment WHERE id = :id", id=saved.id)
        finally:
            store.close()
    finally:
        engine.dispose()
