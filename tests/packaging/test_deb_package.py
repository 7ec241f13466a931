"""The offline installer, built for real and installed into a clean root: what a clinic's machine gets.

Issue 10's smoke test: build the package with no network, install it with dpkg into a throwaway root, and
from the installed copy (never the checkout) run --version, the start-up check on a new database, an
evaluation, an assessment and letters, all with no network. Removing the package leaves the data.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

import workstation
from db.schema import HEAD_REVISION
from tests.packaging.deb import OWNER, REPO, Built, DpkgRoot, data_folder, digests
from ui import licences

pytestmark = pytest.mark.timeout(1800)  # the first test here waits for the build (PyInstaller, xz)

SAMPLE = REPO / "tests" / "workstation" / "clinical" / "data" / "example-assessment.json"
PACKAGE_LIMIT_BYTES = 150_000_000  # the target for the compressed package
EXPECTED_DEPENDS = ["libgl1", "libegl1", "libfontconfig1", "libxkbcommon0", "libdbus-1-3", "libstdc++6"]


@pytest.fixture(scope="module")
def installed(built: Built, tmp_path_factory: pytest.TempPathFactory) -> DpkgRoot:
    root = DpkgRoot(tmp_path_factory.mktemp("clean-root"))
    root.install(built.deb)
    return root


def _field(deb: Path, name: str) -> str:
    return subprocess.run(
        ["dpkg-deb", "--field", str(deb), name], capture_output=True, text=True, check=True
    ).stdout.strip()


# The package -------------------------------------------------------------------------------------------


def test_the_package_is_named_versioned_and_small_enough(built: Built) -> None:
    assert built.deb.name == f"calfdesk_{workstation.__version__}_amd64.deb"
    assert _field(built.deb, "Version") == workstation.__version__
    assert _field(built.deb, "Architecture") == "amd64"
    assert built.deb.stat().st_size <= PACKAGE_LIMIT_BYTES, f"{built.deb.stat().st_size / 1e6:.1f} MB"
    # Only what the bundle cannot carry: the graphics drivers, fonts configuration, keyboard tables, the
    # session bus, and the C and C++ runtimes (at least the glibc the bundle was built against).
    depends = [part.strip() for part in _field(built.deb, "Depends").split(",")]
    assert re.fullmatch(r"libc6 \(>= 2\.\d+\)", depends[0]), depends
    assert depends[1:] == EXPECTED_DEPENDS
    # No maintainer scripts: installing runs nothing as root, and removing cannot touch anyone's data.
    control = subprocess.run(["dpkg-deb", "--ctrl-tarfile", str(built.deb)], capture_output=True, check=True).stdout
    listing = subprocess.run(["tar", "-t"], input=control, capture_output=True, check=True).stdout.decode()
    assert sorted(name for name in listing.split() if name not in ("./", ".")) == ["./control"]


def test_the_installed_files_are_where_a_desktop_looks(installed: DpkgRoot) -> None:
    root = installed.root
    link = root / "usr" / "bin" / "calfdesk"
    assert link.is_symlink() and str(link.readlink()) == "/opt/calfdesk/calfdesk"
    assert installed.program.is_file() and installed.program.stat().st_mode & 0o111
    icons = root / "usr" / "share" / "icons" / "hicolor"
    assert (icons / "scalable" / "apps" / "calfdesk.svg").read_bytes() == (
        REPO / "resources" / "calfdesk.svg"
    ).read_bytes()
    for size in (48, 64, 128, 256):
        png = (icons / f"{size}x{size}" / "apps" / "calfdesk.png").read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(png[16:20], "big") == int.from_bytes(png[20:24], "big") == size
    entry = root / "usr" / "share" / "applications" / "calfdesk.desktop"
    validator = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True, check=False)
    assert validator.returncode == 0 and not validator.stdout.strip(), validator.stdout
    metainfo = root / "usr" / "share" / "metainfo" / "org.calfdesk.calfdesk.metainfo.xml"
    appstream = shutil.which("appstreamcli")
    assert appstream, "appstreamcli is missing: scripts/bootstrap.sh test installs the Debian package appstream"
    check = subprocess.run(
        [appstream, "validate", "--no-net", "--pedantic", str(metainfo)], capture_output=True, text=True
    )
    assert check.returncode == 0 and "Validation was successful" in check.stdout, check.stdout + check.stderr
    newest = re.search(r'<release version="([^"]+)"', metainfo.read_text(encoding="utf-8"))
    assert newest and newest.group(1) == workstation.__version__, "add a <release> for the new version"
    assert "proprietary" in (root / "usr" / "share" / "doc" / "calfdesk" / "copyright").read_text(encoding="utf-8")


def test_the_bundle_carries_resources_fonts_migrations_and_licences(installed: DpkgRoot) -> None:
    internal = installed.root / "opt" / "calfdesk" / "_internal"
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DroidSansFallbackFull.ttf", "DejaVu.LICENSE.txt"):
        assert (internal / "resources" / "fonts" / name).read_bytes() == (
            REPO / "resources" / "fonts" / name
        ).read_bytes()
    checkout = sorted(p.name for p in (REPO / "db" / "migrations" / "versions").glob("0*.py"))
    bundled = sorted(p.name for p in (internal / "db" / "migrations" / "versions").glob("0*.py"))
    assert bundled == checkout and bundled[-1].startswith(HEAD_REVISION)
    bundled_licences = {component.name: component for component in licences.read_folder(internal / "licences")}
    assert {"PySide6_Essentials", "SQLAlchemy", "reportlab", "pandas", "sqlcipher3", "Python"} <= set(bundled_licences)
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in "".join(t.text for t in bundled_licences["PySide6_Essentials"].texts)
    # A Debian library PyInstaller copied in is listed with its package's copyright file (the build stops on one
    # that no Debian package owns: packaging/system_libraries.py).
    assert "libcups2" in bundled_licences and "Copyright" in bundled_licences["libcups2"].texts[0].text
    assert all(component.texts for component in bundled_licences.values())


def test_the_bundle_holds_one_sqlite_and_no_development_tools(installed: DpkgRoot) -> None:
    internal = installed.root / "opt" / "calfdesk" / "_internal"
    files = [path.name for path in internal.rglob("*")]
    # RELIABILITY.md A6: SQLCipher (statically built into sqlcipher3's own _sqlite3 extension) is the only
    # SQLite; Python's _sqlite3 and the system's libsqlite3 are not there, so they cannot even be loaded.
    sqlites = sorted(
        str(p.relative_to(internal)) for p in internal.rglob("*") if p.name.startswith(("_sqlite3", "libsqlite3"))
    )
    assert sqlites == ["sqlcipher3/_sqlite3.cpython-311-x86_64-linux-gnu.so"], sqlites
    # The C++ runtime and the GTK theme plugin come from the system (see packaging/system_libraries.py).
    assert not [name for name in files if name.startswith(("libstdc++", "libgcc_s", "libqgtk3"))]
    listing = subprocess.run(
        [str(Path(sys.executable).with_name("pyi-archive_viewer")), "--recursive", "--brief", str(installed.program)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    modules = set(re.findall(r"'([\w.]+)'", listing)) | {line.strip() for line in listing.splitlines()}
    assert "workstation.clinical.engine" in modules or "workstation.clinical" in modules, listing[:2000]
    for tool in ("pytest", "_pytest", "hypothesis", "mypy", "fhir", "jsonschema", "sqlite3"):
        assert tool not in modules, f"{tool} is bundled"


# The installed copy, offline ---------------------------------------------------------------------------


def test_the_installed_app_starts_evaluates_assesses_and_writes_letters_offline(
    installed: DpkgRoot, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    assert installed.ok(home, "--version").strip() == f"calfdesk {workstation.__version__}"

    # A new database: the window opens on the owner's set-up and paints, then quits.
    first = installed.ok(home, "--startup-check")
    assert re.search(r"^startup_ms=\d+$", first, flags=re.MULTILINE), first
    created = installed.ok(home, "init", "--owner", OWNER, "--full-name", "Pat Owner")
    assert "Created the practice owner" in created and "recovery key" in created
    logged_in = installed.ok(home, "--user", OWNER, "--startup-check")
    assert re.search(r"^login_ms=\d+$", logged_in, flags=re.MULTILINE), logged_in

    # The clinical engine gives exactly what the checkout's gives.
    frozen = json.loads(installed.ok(home, "evaluate", str(SAMPLE)))
    source = subprocess.run(
        [sys.executable, "-m", "ui", "evaluate", str(SAMPLE)], capture_output=True, text=True, check=True
    )
    assert frozen == json.loads(source.stdout)
    assert frozen["schema"] == "calfdesk.evaluation/1"

    # Assess a runner (the wizard's Finish, from the command line) and write their letter.
    installed.ok(home, "--user", OWNER, "demo", "--patients", "12", "--seed", "7")
    listed = installed.ok(home, "--user", OWNER, "patients", "list")
    rows = [line.split() for line in listed.splitlines()[1:]]
    # A patient whose family name reads back from the PDF as typed (no combining accents to normalise).
    patient_id, family_name = next((row[0], row[1].rstrip(",")) for row in rows if row[1].isascii())
    # The document must be this patient's: their date of birth and sex, read from the installed app's FHIR export.
    installed.ok(home, "--user", OWNER, "patient", "export", patient_id, "--fhir", "--out", str(home / "fhir.json"))
    bundle = json.loads((home / "fhir.json").read_text(encoding="utf-8"))
    person = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
    document = json.loads(SAMPLE.read_text(encoding="utf-8"))
    document["patient"] |= {"date_of_birth": person["birthDate"], "sex": person["gender"]}
    (home / "assessment.json").write_text(json.dumps(document), encoding="utf-8")
    imported = installed.ok(home, "--user", OWNER, "assessment", "import", str(home / "assessment.json"),
                            "--patient", patient_id, "--impression", "overload")  # fmt: skip
    assert f"for patient {patient_id}" in imported, imported
    letter = home / "letter.pdf"
    installed.ok(home, "--user", OWNER, "letter", patient_id, "--template", "progress", "--out", str(letter))
    reader = PdfReader(letter)
    assert family_name in "".join(page.extract_text() for page in reader.pages)
    fonts = {str(font.get_object()["/BaseFont"]) for page in reader.pages
             for font in page["/Resources"]["/Font"].values()}  # fmt: skip
    assert any("DejaVuSans" in font for font in fonts), fonts  # the bundled font, embedded

    # A batch long enough for the letter pool: its workers are the frozen program run again.
    ids = ",".join(line.split()[0] for line in listed.splitlines()[1:])
    batch = installed.run(
        home, "--user", OWNER, "letter", "--ids", ids, "--template", "handout", "--out-dir", str(home / "batch")
    )
    assert batch.returncode == 0, batch.stdout + batch.stderr
    assert "Wrote 12 of 12 letters" in batch.stdout
    assert "workers stopped" not in batch.stderr and "usage:" not in batch.stderr, batch.stderr
    assert len(list((home / "batch").glob("*.pdf"))) == 12

    backup = installed.ok(home, "--user", OWNER, "backup")
    assert "verified" in backup.lower(), backup
    assert list((data_folder(home) / "backups").glob("*.sqlite3"))


def test_removing_the_package_keeps_the_users_database_and_backups(built: Built, tmp_path: Path) -> None:
    root = DpkgRoot(tmp_path / "root")
    root.install(built.deb)
    home = tmp_path / "home"
    home.mkdir()
    root.ok(home, "init", "--owner", OWNER)
    root.ok(home, "--user", OWNER, "demo", "--patients", "3")
    root.ok(home, "--user", OWNER, "backup")
    before = digests(data_folder(home))
    assert any(name.startswith("backups/") for name in before) and "calfdesk.sqlite3" in before

    root.dpkg("--remove", "calfdesk")
    assert root.installed_version() is None
    assert not (root.root / "opt" / "calfdesk").exists() and not (root.root / "usr" / "bin" / "calfdesk").exists()
    assert digests(data_folder(home)) == before
    root.dpkg("--purge", "calfdesk")
    assert digests(data_folder(home)) == before
