"""The writer of the kill -9 trials (RELIABILITY.md A2): ``python -m tests.faults.writer``.

This process imports everything once, connects to nothing, and then obeys its stdin:

``open TRIAL URL ACKFILE``
    fork a writer that opens the database as the app does (``tests.dbkit.open_store``), reports
    ``ready TRIAL PID`` on stdout and waits;
``go PID``
    let that writer start: it saves a patient and an episode of care, again and again, through the real
    services and repositories, and prints each saved uid to its own stdout (ACKFILE) only after the save
    returned, until the harness kills it with SIGKILL;
``quit``
    stop.

Forking a warm process costs a millisecond where a fresh interpreter and its imports cost half a second,
and the harness readies the next writer while the current one runs. No database connection exists
before the fork, so none is inherited across it (A6). Any failure inside a writer is reported as
``failed TRIAL <text>`` so the harness stops with the reason.
"""

from __future__ import annotations

import itertools
import os
import signal
import sys
import traceback

from tests import dbkit
from tests.faults.samples import TODAY, bulky_episode, bulky_patient
from workstation.services.patients import save_episode, save_patient


def main() -> None:
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # a killed writer is reaped at once, leaving no zombie
    waiting: dict[int, int] = {}  # writer pid: the pipe that tells it to go
    for line in sys.stdin:
        command, *arguments = line.split()
        if command == "open":
            trial, url, ack_path = arguments
            waiting.update(_fork_writer(trial, url, ack_path, waiting))
        elif command == "go":
            go = waiting.pop(int(arguments[0]))
            os.write(go, b"g")
            os.close(go)
        elif command == "quit":
            return


def _fork_writer(trial: str, url: str, ack_path: str, waiting: dict[int, int]) -> dict[int, int]:
    go_reader, go_writer = os.pipe()
    sys.stdout.flush()
    pid = os.fork()
    if pid == 0:
        for other in [go_writer, *waiting.values()]:
            os.close(other)
        os._exit(_write(trial, url, ack_path, go_reader))
    os.close(go_reader)
    return {pid: go_writer}


def _write(trial: str, url: str, ack_path: str, go: int) -> int:
    report = os.dup(1)  # the harness's pipe; stdout becomes the acknowledgement file below
    try:
        store = dbkit.open_store(url)
        os.write(report, f"ready {trial} {os.getpid()}\n".encode())
        if os.read(go, 1) != b"g":
            return 0  # the harness went away
        acknowledgements = os.open(ack_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.dup2(acknowledgements, 1)
        for n in itertools.count():
            patient = save_patient(store.patients, bulky_patient(n), TODAY)
            print(patient.uid, flush=True)  # one write(2) per line, so a kill never leaves half a uid
            assert patient.id is not None
            episode = save_episode(store.episodes, bulky_episode(patient.id, n), patient.date_of_birth, TODAY)
            print(episode.uid, flush=True)
    except BaseException:  # noqa: BLE001 - the harness must hear why, whatever it was
        reason = traceback.format_exc().strip().replace("\n", " | ")
        os.write(report, f"failed {trial} {reason}\n".encode())
        return 1
    return 0


if __name__ == "__main__":
    main()
