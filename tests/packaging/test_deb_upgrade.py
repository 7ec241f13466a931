"""Upgrading: a newer package installed over an older one keeps the data, and the new app migrates a
database of the earliest schema (0001, the first release) only after a verified backup of it.

The "older" package is the same bundle packaged as 0.0.9 with one extra file in it, so the test can also see
dpkg take away what the newer package no longer ships.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import db.schema
import workstation
from tests import dbkit
from tests.packaging.deb import OWNER, Built, DpkgRoot, build_package, data_folder, digests

pytestmark = pytest.mark.timeout(1800)

OLDER = "0.0.9"
LEFT_BEHIND = "only-in-0.0.9.txt"
PATIENT = ("6f1c1d3a-0000-4000-8000-000000000001", "Aroha", "Ngata", "1988-04-02", "9434765919")


@pytest.fixture(scope="module")
def older(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Built:
    base = tmp_path_factory.mktemp("older")
    bundle = base / "bundle" / "calfdesk"
    shutil.copytree(built.bundle, bundle, symlinks=True)
    (bundle / "_internal" / LEFT_BEHIND).write_text("a file the newer package no longer has\n", encoding="utf-8")
    return build_package(base / "dist", base / "work", "--bundle", str(bundle), "--package-version", OLDER,
                         "--compression", "none")  # fmt: skip


def test_upgrading_keeps_the_data_and_migrates_it_after_a_verified_backup(
    built: Built, older: Built, tmp_path: Path
) -> None:
    root = DpkgRoot(tmp_path / "root")
    root.install(older.deb)
    assert root.installed_version() == OLDER
    home = tmp_path / "home"
    database = data_folder(home) / "calfdesk.sqlite3"
    dbkit.first_release_database(database, (PATIENT,))
    before = digests(data_folder(home))

    upgrade = root.install(built.deb)
    assert f"over ({OLDER})" in upgrade.stdout, upgrade.stdout  # dpkg: "Unpacking calfdesk (0.1.0) over (0.0.9)"
    assert root.installed_version() == workstation.__version__
    assert not (root.root / "opt" / "calfdesk" / "_internal" / LEFT_BEHIND).exists()
    assert digests(data_folder(home)) == before, "installing the package touched the user's data"

    # The new app's first start on the old database: the owner is set up on it, as on a new one, and the
    # schema is brought up to date after a backup of the 0001 file that was read back and verified.
    root.ok(home, "init", "--owner", OWNER)
    backups = sorted((data_folder(home) / "backups").glob("calfdesk-before-upgrade-from-0001-*.sqlite3"))
    assert len(backups) == 1
    manifest = json.loads(backups[0].with_name(backups[0].name + ".manifest.json").read_text(encoding="utf-8"))
    assert manifest["tables"]["patient"]["rows"] == 1 and manifest["tables"]["alembic_version"]["rows"] == 1
    copy = dbkit.raw(backups[0], read_only=True)
    try:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
        assert copy.execute("SELECT given_name, family_name FROM patient").fetchall() == [PATIENT[1:3]]
    finally:
        copy.close()

    listed = root.ok(home, "--user", OWNER, "patients", "list")
    assert "Ngata, Aroha" in listed and "02/04/1988" in listed
    verified = root.ok(home, "--user", OWNER, "verify")
    assert f"schema: {db.schema.HEAD_REVISION} (current)" in verified and "integrity: ok" in verified, verified
