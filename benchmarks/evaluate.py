"""Squad batch throughput of the clinical engine: ``calfdesk evaluate --jsonl`` on 10,000 documents.

The documents are varied screening assessments (every section, random but valid answers, a fixed seed),
so the rules, the red flags and the differential all do real work. Timed end to end through the real
command (start-up, reading, validation, evaluation, writing), best of three, plus the engine alone
in-process, so a slow start and a slow rule can be told apart.
"""

from __future__ import annotations

import json
import random
import subprocess
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from benchmarks.environment import REPO, Sandbox, calfdesk_command

DOCUMENTS = 10_000
_TODAY = date(2026, 11, 30)
_SEED = 5


def _maybe(rng: random.Random, value: Any, answered: float = 0.9) -> Any:
    return value if rng.random() < answered else None


def _yes_no(rng: random.Random, yes: float = 0.2) -> bool | None:
    return _maybe(rng, rng.random() < yes)


def screening_document(rng: random.Random) -> dict[str, Any]:
    """One realistic, valid ``calfdesk.assessment/1`` document (the fields a screening day fills)."""
    assessed = _TODAY - timedelta(days=rng.randrange(0, 365))
    born = assessed - timedelta(days=rng.randrange(16 * 365, 70 * 365))
    history_flags = (
        "could_continue_running", "pain_builds_predictably_in_run", "settles_within_minutes_of_stopping",
        "tightness_lingers_after_runs", "delayed_soreness_after_unaccustomed_session", "involuntary_cramp_episode",
        "pain_walking_or_daily_activity", "pain_at_rest_or_night", "bruising", "back_buttock_or_thigh_symptoms",
        "pressure_or_fullness_during_exercise", "previous_calf_strain", "bone_health_risk", "previous_race_cramping",
    )  # fmt: skip
    wells = (
        "active_cancer", "paralysis_paresis_or_plaster", "bedridden_3_days_or_major_surgery_12_weeks",
        "deep_vein_tenderness", "whole_leg_swollen", "calf_swelling_3cm", "pitting_oedema_symptomatic_leg",
        "collateral_superficial_veins", "previous_dvt", "alternative_diagnosis_as_likely",
    )  # fmt: skip
    return {
        "schema": "calfdesk.assessment/1",
        "assessed_on": assessed.isoformat(),
        "patient": {"date_of_birth": born.isoformat(), "sex": rng.choice(["male", "female", "other", "unknown"])},
        "symptomatic_side": rng.choice(["left", "right", "both"]),
        "history": {
            "onset": rng.choice(["sudden", "gradual", "unsure"]),
            "pain_location": rng.choice(["upper_medial", "mid", "low_above_achilles", "lateral_fibula", "diffuse"]),
            "foot_tingling_or_numbness": rng.choice(["none", "exercise_only", "constant"]),
            "recent_load_changes": rng.sample(["mileage_increase", "hills", "speed_work"], rng.randrange(3)),
            "nprs_now": rng.randrange(11),
            **{key: _yes_no(rng) for key in history_flags},
        },
        "examination": {
            key: _yes_no(rng)
            for key in ("calf_swelling_warmth_or_redness", "local_muscle_tenderness", "focal_fibula_tenderness")
        },
        "heel_raise": {
            "left_reps": _maybe(rng, rng.randrange(5, 45)),
            "right_reps": _maybe(rng, rng.randrange(5, 45)),
            "protocol": "incline_10deg_60bpm",
            "knee": rng.choice(["straight", "bent"]),
        },
        "knee_to_wall": {"left_cm": round(rng.uniform(4, 16), 1), "right_cm": round(rng.uniform(4, 16), 1)},
        "neural": {"slump": rng.choice(["positive", "negative", "inconclusive", "not_tested"])},
        "red_flags": {
            "wells": {key: _maybe(rng, rng.random() < 0.1, answered=0.98) for key in wells},
            "dvt_suspected": _yes_no(rng, 0.02),
            "exercise_claudication": _yes_no(rng, 0.01),
        },
        "outcomes": {"lefs_total": _maybe(rng, rng.randrange(40, 81))},
    }


def write_batch(path: Path, count: int = DOCUMENTS) -> None:
    rng = random.Random(_SEED)
    with path.open("w", encoding="utf-8") as out:
        for _ in range(count):
            out.write(json.dumps(screening_document(rng), separators=(",", ":")) + "\n")


def measure(sandbox: Sandbox, rounds: int = 3) -> dict[str, float]:
    batch = sandbox.path / "screening-10k.jsonl"
    write_batch(batch)
    command = [*calfdesk_command(), "evaluate", "--jsonl", str(batch)]
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        done = subprocess.run(command, cwd=REPO, env=sandbox.env(), capture_output=True, check=False)
        timings.append(time.perf_counter() - started)
        lines = done.stdout.count(b"\n")
        if done.returncode != 0 or lines != DOCUMENTS:
            raise RuntimeError(f"calfdesk evaluate failed ({done.returncode}, {lines} lines): {done.stderr[-500:]!r}")
    best = min(timings)
    return {
        "evaluate_docs_per_s": DOCUMENTS / best,
        "evaluate_10k_s": best,
        "evaluate_engine_docs_per_s": _engine_only(batch),
        "running_load_2000_runs_ms": measure_running_load_ms(),
    }


def _engine_only(batch: Path) -> float:
    from workstation.clinical.evaluate import evaluate_text

    lines = batch.read_bytes().splitlines()
    started = time.perf_counter()
    for line in lines:
        evaluate_text(line, today=_TODAY)
    return len(lines) / (time.perf_counter() - started)


def measure_running_load_ms(runs: int = 2_000, rounds: int = 7) -> float:
    """Weekly distance, spikes and ACWR for five years and ``runs`` sessions (the progress tab's load), median ms."""
    import statistics

    from workstation.clinical.load import RunningSession, acwr_reference, spike_checks, weekly_loads

    rng = random.Random(_SEED)
    start = date(2021, 12, 1)
    sessions = [
        RunningSession(date=start + timedelta(days=rng.randrange(5 * 365)), distance_km=rng.randrange(10, 400) / 10)
        for _ in range(runs)
    ]
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        weekly_loads(sessions)
        spike_checks(sessions)
        acwr_reference(sessions, start + timedelta(days=5 * 365))
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


if __name__ == "__main__":
    scratch = Sandbox()
    try:
        print(measure(scratch))
    finally:
        scratch.close()
