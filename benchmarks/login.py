"""The cost of one password check (RELIABILITY.md D1: argon2id, target under 1 s on the slowest PC).

A login's argon2id verification is slow on purpose: it is what makes a stolen hash expensive to guess.
This times ``verify_password`` at the parameters CalfDesk hashes with, median of ``rounds``.
"""

from __future__ import annotations

import statistics
import time

from workstation.security.passwords import hash_password, verify_password

_PASSWORD = "benchmark owner passphrase 100k"


def measure_verify_ms(rounds: int = 21) -> float:
    stored = hash_password(_PASSWORD)
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        assert verify_password(stored, _PASSWORD)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)
