"""Migration 0007 on SQLite and PostgreSQL: observations finalised before it are linked to their own
assessment (an amendment the same day included), observations stay protected, and it downgrades cleanly."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, DateTime, bindparam, exc, inspect, text

from db.engine import WRITE
from tests import dbkit
from workstation.assessment.records import AssessmentRecord
from workstation.records import Episode, Observation, Patient, Side

DAY = date(2026, 12, 14)
MORNING = datetime(2026, 12, 14, 10, 30, tzinfo=UTC)
AFTERNOON = datetime(2026, 12, 14, 15, 0, tzinfo=UTC)


def _assessment(patient_id: int, episode_id: int | None, at: datetime, **changes: Any) -> AssessmentRecord:
    record = AssessmentRecord(
        patient_id=patient_id, episode_id=episode_id, assessed_on=DAY, document="{}", evaluation="{}", detail="{}",
        urgency="routine", recorded_by=7, finalised_at=at,
    )  # fmt: skip
    return replace(record, **changes)


_INSERT_AT_0006 = text(
    "INSERT INTO observation (uid, patient_id, episode_id, observed_on, code, side, value, unit, protocol, "
    "recorded_at, corrects_id, correction_reason, recorded_by) VALUES (:uid, :patient, :episode, :day, "
    "'heel_raise_reps', 'left', :value, 'reps', '', :at, :corrects, '', 7) RETURNING id"
).bindparams(bindparam("at", type_=DateTime(timezone=True)))


def _observe(connection: Connection, uid: str, patient: int, episode: int | None, at: datetime, **more: Any) -> int:
    values = {"uid": uid, "patient": patient, "episode": episode, "day": more.get("day", DAY), "at": at,
              "value": more.get("value", 20), "corrects": more.get("corrects")}  # fmt: skip
    return int(connection.execute(_INSERT_AT_0006, values).scalar_one())


def test_observations_finalised_before_0007_link_to_their_own_assessment(database_url: str) -> None:
    store = dbkit.open_store(database_url)
    try:
        patient_id = store.patients.add(Patient("Aroha", "Ngata", date(1991, 5, 6))).id
        other_id = store.patients.add(Patient("Liam", "Walsh", date(1990, 6, 1))).id
        episode_id = store.episodes.add(Episode(patient_id, "Left calf", Side.LEFT, date(2026, 12, 1))).id
        first = store.assessments.finalise(_assessment(patient_id, episode_id, MORNING), [])
        amended = store.assessments.finalise(
            _assessment(patient_id, episode_id, AFTERNOON, amends_id=first.id, amendment_reason="typo"), []
        )
        # Ten seconds from the first one, but with no episode: the observations without one are its.
        loose = store.assessments.finalise(_assessment(patient_id, None, MORNING + timedelta(seconds=10)), [])
    finally:
        store.close()

    engine = dbkit.migration_engine(database_url)
    try:
        with engine.execution_options(**WRITE).begin() as connection:
            dbkit.migrate(connection, "downgrade", "0006")
            assert "running_session" not in inspect(connection).get_table_names()
            second = timedelta(seconds=1)
            ids = {
                "first": _observe(connection, "o-1", patient_id, episode_id, MORNING + second / 5),
                "amended": _observe(connection, "o-2", patient_id, episode_id, AFTERNOON + second / 2),
                "loose": _observe(connection, "o-3", patient_id, None, MORNING + 10 * second),
                "between": _observe(connection, "o-4", patient_id, episode_id, MORNING + timedelta(minutes=90)),
                "day_before": _observe(connection, "o-5", patient_id, episode_id, MORNING, day=DAY - timedelta(1)),
                "other_patient": _observe(connection, "o-6", other_id, None, MORNING),
                "just_late": _observe(connection, "o-7", patient_id, episode_id, AFTERNOON + 61 * second),
            }
            corrected = _observe(connection, "o-8", patient_id, episode_id, AFTERNOON + timedelta(hours=1),
                                 corrects=ids["first"], value=21)  # fmt: skip
            _observe(connection, "o-9", patient_id, episode_id, AFTERNOON + timedelta(hours=2),
                     corrects=corrected, value=22)  # fmt: skip
    finally:
        engine.dispose()

    store = dbkit.open_store(database_url)  # upgrades to the head
    try:
        by_uid = {o.uid: o for o in store.observations.for_patient(patient_id)}
        by_uid.update({o.uid: o for o in store.observations.for_patient(other_id)})
        assert {uid: o.assessment_id for uid, o in by_uid.items()} == {
            "o-2": amended.id, "o-3": loose.id, "o-4": None, "o-5": None, "o-6": None, "o-7": None,
            "o-9": first.id,  # the current version of o-1, corrected twice: the link follows the chain
        }  # fmt: skip
        history = store.observations.history(ids["first"])
        assert [(o.uid, o.assessment_id) for o in history] == [("o-1", first.id), ("o-8", first.id), ("o-9", first.id)]
        # The trigger the backfill lifted is back.
        with pytest.raises(exc.DBAPIError, match="never changed or deleted"), store.engine.begin() as connection:
            connection.execute(text("UPDATE observation SET assessment_id = NULL"))
        # From now on finalising links the assessment's observations itself.
        measured = Observation(patient_id, DAY, "knee_to_wall_cm", 9.5, "cm", Side.LEFT)
        later = store.assessments.finalise(_assessment(patient_id, episode_id, AFTERNOON + timedelta(hours=3)),
                                           [measured])  # fmt: skip
        (stored,) = [o for o in store.observations.for_patient(patient_id) if o.uid == measured.uid]
        assert (stored.assessment_id, stored.episode_id) == (later.id, episode_id)
    finally:
        store.close()


def test_0007_downgrades_to_0006_and_upgrades_again_with_observations_protected(database_url: str) -> None:
    dbkit.open_store(database_url).close()  # created at head
    engine = dbkit.migration_engine(database_url)
    try:
        with engine.execution_options(**WRITE).begin() as connection:
            dbkit.migrate(connection, "downgrade", "0006")
            assert "running_session" not in inspect(connection).get_table_names()
            columns = {column["name"] for column in inspect(connection).get_columns("observation")}
            assert "assessment_id" not in columns
            if engine.dialect.name == "postgresql":
                left = connection.execute(text("SELECT proname FROM pg_proc WHERE proname LIKE 'running_session%'"))
                assert left.all() == []
            else:
                triggers = connection.execute(
                    text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'observation'")
                )
                assert sorted(triggers.scalars()) == [
                    "observation_no_delete", "observation_no_update", "observation_restricted_no_insert",
                ]  # fmt: skip
    finally:
        engine.dispose()
    store = dbkit.open_store(database_url)  # upgrades again
    try:
        patient_id = store.patients.add(Patient("Ana", "Silva", date(1990, 1, 1))).id
        recorded = store.observations.add(Observation(patient_id, DAY, "heel_raise_reps", 22, "reps", Side.LEFT))
        for statement in ("UPDATE observation SET value = 0", "DELETE FROM observation"):
            with pytest.raises(exc.DBAPIError, match="never changed or deleted"), store.engine.begin() as connection:
                connection.execute(text(statement))
        assert store.observations.for_patient(patient_id) == [recorded]
    finally:
        store.close()
