"""Another program holding the database (RELIABILITY.md B3): ``python -m tests.faults.lock_holder URL``.

It opens the database as the app does, takes ``BEGIN EXCLUSIVE`` on one of its connections, prints
``locked``, holds the lock until a line arrives on stdin, then commits, prints ``released`` and exits.
"""

from __future__ import annotations

import sys

from tests import dbkit


def main(url: str) -> None:
    store = dbkit.open_store(url, check_integrity=False)
    with store.engine.connect() as connection:
        raw = connection.connection.driver_connection
        raw.execute("BEGIN EXCLUSIVE")
        print("locked", flush=True)
        sys.stdin.readline()
        raw.execute("COMMIT")
    store.close()
    print("released", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
