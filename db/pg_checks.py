"""What CalfDesk checks when it first reaches a PostgreSQL server.

Durability (RELIABILITY.md A7): the records are only as safe as the server's settings. ``fsync``,
``full_page_writes`` and ``synchronous_commit`` must be on, and ``data_checksums`` should be. A server that
falls short is used anyway, with a warning in the window that names the setting and what to ask the
server's administrator: only they can change it, and refusing to open would stop the whole clinic over
something no one at the workstation can fix. ``fsync = off`` is the dangerous one, and its warning says that
records may be lost.

Refusals: the driver's message for a connection that the server or TLS refused is technical (and names the
host and user); a clinician gets a plain sentence instead, and never the password (RELIABILITY.md E4).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from sqlalchemy import Connection, Engine, exc, text

from workstation.errors import CalfDeskError

log = logging.getLogger(__name__)


class ServerRefused(CalfDeskError):
    """The server, or the TLS check of it, refused the connection: retrying will not help, a setting must change."""


_ASK = "Ask the server's administrator to"

# setting -> (values that are safe, the warning when it has another value)
_DURABILITY: dict[str, tuple[frozenset[str], str]] = {
    "fsync": (
        frozenset({"on"}),
        "The database server has fsync turned off: records may be lost or damaged if the server crashes "
        f"or loses power. {_ASK} set fsync = on and reload the server.",
    ),
    "full_page_writes": (
        frozenset({"on"}),
        "The database server has full_page_writes turned off: a crash or power cut while it writes can "
        f"leave records damaged. {_ASK} set full_page_writes = on and reload the server.",
    ),
    # Every value but "off" waits for the commit to reach the server's own disk before CalfDesk says
    # "saved" (PostgreSQL docs, "Modes of synchronous_commit"); the remote ones also wait for a standby.
    "synchronous_commit": (
        frozenset({"on", "local", "remote_write", "remote_apply"}),
        "The database server has synchronous_commit turned off: the last saves before a server crash can "
        f"be lost although CalfDesk said they were saved. {_ASK} set synchronous_commit = on, for the "
        "server and for the CalfDesk database and role.",
    ),
    "data_checksums": (
        frozenset({"on"}),
        "The database server was set up without data checksums, so damage on its disk would go unnoticed. "
        f"{_ASK} turn them on (pg_checksums --enable, while the server is stopped).",
    ),
}


def check_server(engine: Engine) -> list[str]:
    """Connect once: explain a refused connection in plain words, and return the durability warnings.

    Raises:
        ServerRefused: the server or TLS refused the connection (other driver errors pass through).
    """
    try:
        with engine.connect() as connection:
            settings = read_settings(connection)
    except exc.OperationalError as error:
        refusal = explain_refusal(str(error.orig))
        if refusal is None:
            raise
        log.warning("the PostgreSQL server refused the connection: %s", refusal.message)
        raise refusal from None
    warnings = durability_warnings(settings)
    for name in _DURABILITY:
        if _is_unsafe(name, settings.get(name)):
            log.warning("PostgreSQL server setting %s = %s is unsafe for clinical records", name, settings[name])
    return warnings


def read_settings(connection: Connection) -> dict[str, str]:
    """The session's own values (a database or role may override the server's)."""
    rows = connection.execute(
        text("SELECT name, setting FROM pg_settings WHERE name = ANY(:names)"), {"names": list(_DURABILITY)}
    )
    return {str(name): str(setting) for name, setting in rows}


def durability_warnings(settings: Mapping[str, str]) -> list[str]:
    """One sentence per unsafe setting, the most dangerous first."""
    return [message for name, (_, message) in _DURABILITY.items() if _is_unsafe(name, settings.get(name))]


def _is_unsafe(name: str, value: str | None) -> bool:
    # A setting the server does not report is not guessed at: only a known bad value warns.
    return value is not None and value.lower() not in _DURABILITY[name][0]


_NO_SECRET_SENT = "No password or record was sent to it."
_ADDRESS_TLS = "sslmode=verify-full and sslrootcert"

# (phrases in libpq's message, the plain failure); the first match wins, so specific phrases come first.
# libpq gives no error code for these (the connection never reached the SQL stage), only its message.
_REFUSALS: list[tuple[tuple[str, ...], ServerRefused]] = [
    (
        ("certificate verify failed",),
        ServerRefused(
            "CalfDesk could not confirm the database server's identity: its certificate is not signed by the "
            "certificate authority named in the database address (sslrootcert).",
            hint=f"{_NO_SECRET_SENT} Check that sslrootcert is the clinic's CA certificate (ask the server's "
            "administrator). Do not turn the check off to get round this.",
        ),
    ),
    (
        ("does not match host name",),
        ServerRefused(
            "The database server's certificate was made for another name than the one in the database address.",
            hint=f"{_NO_SECRET_SENT} Use the server name its certificate was made for, or ask the server's "
            "administrator for a certificate that includes this name.",
        ),
    ),
    (
        ("root certificate file",),
        ServerRefused(
            "The certificate authority file named in the database address (sslrootcert) cannot be read.",
            hint="Check the file's path and that this Windows or Linux account may read it.",
        ),
    ),
    (
        ("certificate file", "private key file", "certificate present"),
        ServerRefused(
            "This computer's own certificate or key, named in the database address (sslcert, sslkey), cannot be used.",
            hint="Check both paths, and that the key file is readable by this account only.",
        ),
    ),
    (
        ("server does not support ssl",),
        ServerRefused(
            "The database server does not offer encrypted connections (TLS), which the database address requires.",
            hint=f"{_NO_SECRET_SENT} Ask the server's administrator to turn TLS on (ssl = on).",
        ),
    ),
    (
        ("protocol version", "unsupported protocol", "no protocols available"),
        ServerRefused(
            "The database server and this computer could not agree on a safe TLS version (1.2 or newer).",
            hint="Ask the server's administrator to allow TLS 1.2 or 1.3.",
        ),
    ),
    (
        ("no encryption",),
        ServerRefused(
            "The database server refused an unencrypted connection.",
            hint=f"Add {_ADDRESS_TLS} (the clinic's CA certificate) to the database address; if it is still "
            "refused, ask the server's administrator to allow this computer.",
        ),
    ),
    (
        ("pg_hba.conf",),
        ServerRefused(
            "The database server does not allow this computer or user to connect.",
            hint="Ask the server's administrator to allow it (pg_hba.conf).",
        ),
    ),
    (
        ("password authentication failed", "no password supplied"),
        ServerRefused(
            "The database server refused the user name or password.",
            hint="Check them with the server's administrator; a ~/.pgpass file keeps the password out of the address.",
        ),
    ),
    (
        ("ssl error", "ssl syscall error"),
        ServerRefused(
            "The encrypted connection (TLS) to the database server failed.",
            hint="Check the sslmode and certificate settings in the database address with the server's administrator.",
        ),
    ),
]


def explain_refusal(driver_message: str) -> ServerRefused | None:
    """The plain failure for a refused connection, or None if the message is not one we know."""
    lowered = driver_message.lower()
    for phrases, failure in _REFUSALS:
        if any(phrase in lowered for phrase in phrases):
            return ServerRefused(failure.message, hint=failure.hint)  # a fresh one: no old traceback on it
    return None
