"""RELIABILITY.md E4: CalfDesk reaches PostgreSQL over TLS 1.2 or newer and checks the server's certificate.

scripts/with_postgres.sh starts the test server with TLS and a throwaway CA (CALFDESK_TEST_PG_CA); the role
calfdesk_tls may connect over TLS only. Refusals must reach the user as a plain CalfDeskError, with no driver
traceback chained on and never the password.
"""

from __future__ import annotations

import logging
import os
import socket
import ssl
import struct
import subprocess
import warnings
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

import db
from db.engine import create_postgresql_engine
from db.pg_checks import ServerRefused
from db.store import Store
from db.urls import resolve

pytestmark = pytest.mark.postgres

PASSWORD = "Pw-never-shown-7f3a"  # the test server trusts 127.0.0.1, so any password gets in
SSL_REQUEST = struct.pack("!ii", 8, 80877103)  # PostgreSQL's "may we speak TLS?" before the handshake


@pytest.fixture
def ca() -> Path:
    value = os.environ.get("CALFDESK_TEST_PG_CA")
    if not value:
        if os.environ.get("CALFDESK_REQUIRE_PG") == "1":
            pytest.fail("CALFDESK_TEST_PG_CA is not set: scripts/with_postgres.sh makes the test CA and sets it.")
        pytest.skip("no test CA (run through make test, whose PostgreSQL server speaks TLS)")
    return Path(value)


@pytest.fixture
def opened() -> Iterator[list[Store]]:
    stores: list[Store] = []
    yield stores
    for store in stores:
        store.close()


def _with(url: str, **params: str) -> str:
    return f"{url}?{urlencode(params)}"


def _as(url: str, user: str, password: str = "") -> str:
    credentials = f"{user}:{password}" if password else user
    return url.replace("://calfdesk@", f"://{credentials}@", 1)


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def test_verify_full_connects_through_open_database_over_tls_1_2_or_newer(
    pg_url: str, ca: Path, opened: list[Store]
) -> None:
    store = db.open_database(_with(pg_url, sslmode="verify-full", sslrootcert=str(ca)))
    opened.append(store)
    with store.engine.connect() as connection:
        row = connection.execute(text("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).one()
    assert row.ssl is True
    assert row.version in ("TLSv1.2", "TLSv1.3")
    assert store.warnings == []


def test_the_server_refuses_tls_older_than_1_2(pg_url: str, ca: Path) -> None:
    # The control (TLS 1.2 accepted through the same code) shows the refusal is the server's minimum at work.
    port = make_url(pg_url).port
    assert port is not None
    assert _handshake(port, ca, ssl.TLSVersion.TLSv1_2) == "TLSv1.2"
    for old in (ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1):
        with pytest.raises(ssl.SSLError) as caught:
            _handshake(port, ca, old)
        assert caught.value.reason == "TLSV1_ALERT_PROTOCOL_VERSION"  # the server's alert, not our refusal


def _handshake(port: int, ca: Path, newest: ssl.TLSVersion) -> str | None:
    context = ssl.create_default_context(cafile=str(ca))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # offering TLS 1.0 and 1.1 is the point here
        context.minimum_version = ssl.TLSVersion.TLSv1
        context.maximum_version = newest
    context.set_ciphers("ALL:@SECLEVEL=0")  # let this client offer what the server must refuse
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        raw.sendall(SSL_REQUEST)
        assert raw.recv(1) == b"S"
        with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            return tls.version()


def _make_other_ca(folder: Path) -> Path:
    cert = folder / "other-ca.crt"
    key_options = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    files = ["-keyout", str(folder / "other-ca.key"), "-out", str(cert)]
    subprocess.run(
        ["openssl", "req", "-x509", *key_options, *files, "-days", "2", "-subj", "/CN=Not the clinic"],
        check=True,
        capture_output=True,
    )
    return cert


def _refusal(url: str, caplog: pytest.LogCaptureFixture) -> ServerRefused:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(ServerRefused) as caught:
        db.open_database(url)
    error = caught.value
    # Nothing of the driver's error is chained on, so no traceback can show its details (host, user).
    assert error.__cause__ is None and error.__suppress_context__
    assert PASSWORD not in str(error) + caplog.text
    assert "Traceback" not in caplog.text
    return error


def test_a_certificate_from_another_ca_is_refused_in_plain_words(
    pg_url: str, ca: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    other = _make_other_ca(tmp_path)
    error = _refusal(_with(_as(pg_url, "calfdesk", PASSWORD), sslmode="verify-full", sslrootcert=str(other)), caplog)
    assert error.message.startswith("CalfDesk could not confirm the database server's identity")
    assert "No password or record was sent" in error.hint


def test_a_certificate_for_another_name_is_refused_in_plain_words(
    pg_url: str, ca: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # hostaddr reaches the test server while the name checked against its certificate is another one.
    url = pg_url.replace("@127.0.0.1:", "@clinic-server.example:", 1)
    error = _refusal(
        _with(_as(url, "calfdesk", PASSWORD), hostaddr="127.0.0.1", sslmode="verify-full", sslrootcert=str(ca)),
        caplog,
    )
    assert error.message.startswith("The database server's certificate was made for another name")


def test_a_missing_ca_file_is_named_in_plain_words(
    pg_url: str, ca: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    missing = tmp_path / "no-such-ca.crt"
    error = _refusal(_with(pg_url, sslmode="verify-full", sslrootcert=str(missing)), caplog)
    assert "(sslrootcert) cannot be read" in error.message


def test_sslmode_disable_is_refused_clearly_by_a_tls_only_role(
    pg_url: str, ca: Path, caplog: pytest.LogCaptureFixture
) -> None:
    error = _refusal(_with(_as(pg_url, "calfdesk_tls", PASSWORD), sslmode="disable"), caplog)
    assert error.message == "The database server refused an unencrypted connection."
    assert "sslmode=verify-full" in error.hint
    # The same role over verified TLS gets in: it was the missing encryption that was refused.
    with psycopg.connect(_libpq(_with(_as(pg_url, "calfdesk_tls"), sslmode="verify-full", sslrootcert=str(ca)))) as c:
        assert c.execute("SELECT current_user, ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").fetchone() == (
            "calfdesk_tls",
            True,
        )


@pytest.mark.parametrize("scheme", ["postgresql", "postgresql+psycopg"])
def test_tls_parameters_pass_through_the_url_untouched(scheme: str) -> None:
    params = {
        "sslmode": "verify-full",
        "sslrootcert": "/etc/calfdesk/clinic CA & keys/ca.crt",  # spaces and "&" survive the encoding
        "sslcert": r"C:\Users\Physio\calfdesk\workstation.crt",
        "sslkey": "/home/physio/.postgresql/workstation 100%.key",
    }
    target = resolve(_with(f"{scheme}://calfdesk:{PASSWORD}@practice-server:5433/calfdesk", **params))
    assert dict(target.url.query) == params
    engine = create_postgresql_engine(target)
    try:
        _, driver_arguments = engine.dialect.create_connect_args(engine.url)
    finally:
        engine.dispose()
    assert {name: driver_arguments[name] for name in params} == params
    assert PASSWORD not in target.description and "ssl" not in target.description
